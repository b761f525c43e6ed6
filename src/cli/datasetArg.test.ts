import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { datasetFor } from './datasetArg';

/** CIFAR-10 binary records: a label byte, then 3 x 32 x 32 pixels. */
function cifar(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, i) => {
    out[i * 3073] = l;
    out.fill((i * 29) % 256, i * 3073 + 1, (i + 1) * 3073);
  });
  return out;
}

describe('datasetFor (--data)', () => {
  it('parses the given files with the upload parsers and points the experiment at their content id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-data-'));
    writeFileSync(join(dir, 'data_batch_1.bin'), cifar([0, 1, 2, 3, 4, 5]));
    writeFileSync(join(dir, 'test_batch.bin'), cifar([9, 8]));
    const { exp, dataset } = await datasetFor(defaultExperiment(), [join(dir, 'data_batch_1.bin'), join(dir, 'test_batch.bin')]);
    expect([dataset.train.count, dataset.test.count, dataset.channels, dataset.height, dataset.classNames.length]).toEqual([
      6, 2, 3, 32, 10,
    ]);
    expect(exp.dataset).toBe(dataset.id);
    expect(dataset.id).not.toBe(defaultExperiment().dataset);
  });

  it('reads a CSV of non-square rows with --csv-shape and holds out --test-split of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-csv-'));
    const path = join(dir, 'wide.csv');
    writeFileSync(
      path,
      Array.from({ length: 40 }, (_, i) => `${i % 2},${[1, 2, 3, 4, 5, 6].map((k) => (i * k) & 255).join(',')}`).join('\n'),
    );
    await expect(datasetFor(defaultExperiment(), [path])).rejects.toThrow(
      /^wide\.csv: rows have 6 pixel values.*or --csv-shape with --data on the command line\)$/,
    );
    const { exp, dataset } = await datasetFor(defaultExperiment(), [path], { csv: { height: 2, width: 3 }, testFraction: 0.25 });
    expect([dataset.channels, dataset.height, dataset.width, dataset.train.count, dataset.test.count]).toEqual([1, 2, 3, 30, 10]);
    expect(exp.dataset).toBe(dataset.id);
  });

  it('keeps the built-in dataset without --data, and names a missing file', async () => {
    const { exp, dataset } = await datasetFor(defaultExperiment(), undefined);
    expect(dataset.id).toBe(exp.dataset);
    await expect(datasetFor(defaultExperiment(), ['/no/such/file.bin'])).rejects.toThrow(/--data \/no\/such\/file.bin: ENOENT/);
  });

  it('on a standard benchmark (cifar10...) asks for the file, and refuses files that are not the benchmark', async () => {
    const exp = { ...defaultExperiment(), dataset: 'cifar10' };
    await expect(datasetFor(exp, undefined)).rejects.toThrow(/--data cifar-10-binary\.tar\.gz/);
    const dir = mkdtempSync(join(tmpdir(), 'std-data-'));
    const records = new Uint8Array(4 * 3073).map((_, i) => (i % 3073 === 0 ? (i / 3073) % 10 : i % 251));
    writeFileSync(join(dir, 'data_batch_1.bin'), records);
    writeFileSync(join(dir, 'test_batch.bin'), records);
    await expect(datasetFor(exp, [join(dir, 'data_batch_1.bin'), join(dir, 'test_batch.bin')])).rejects.toThrow(
      /not CIFAR-10: they hold 3x32x32, 10 classes, 4 training and 4 test images/,
    );
  });
});
