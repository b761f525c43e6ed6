import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../util/prng';
import { CIFAR10_CLASS_NAMES } from './cifar';
import type { InputFile } from './common';
import { datasetContentId, parseDatasetFiles } from './detect';
import { cifarBytes, errorCode, fakeDecode, fakePng, idxImages, idxLabels, utf8 } from './testFixtures';

const MiB = 1024 ** 2;
const f = (name: string, bytes: Uint8Array): InputFile => ({ name, bytes });
const csvRows = (n: number, classes: number) =>
  Array.from({ length: n }, (_, i) => `${i % classes},${i & 255},0,0,${(3 * i) & 255}`).join('\n');

describe('parseDatasetFiles: formats', () => {
  it('reads the official cifar-10-binary.tar.gz layout', async () => {
    const tar = createTar([
      { name: 'cifar-10-batches-bin/' },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarBytes([0, 1, 2]) },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: cifarBytes([3]) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarBytes([9, 8]) },
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: `${CIFAR10_CLASS_NAMES.join('\n')}\n\n` },
      { name: 'cifar-10-batches-bin/readme.html', data: '<html></html>' },
    ]);
    const d = await parseDatasetFiles([f('cifar-10-binary.tar.gz', gzipSync(tar))]);
    expect(d.name).toBe('cifar-10-binary · CIFAR-10');
    expect(d.id).toMatch(/^[0-9a-f]{64}$/);
    expect([d.channels, d.height, d.width]).toEqual([3, 32, 32]);
    expect(d.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(d.train.labels)).toEqual([0, 1, 2, 3]);
    expect(Array.from(d.test.labels)).toEqual([9, 8]);
  });

  it('reads gzipped MNIST IDX files uploaded side by side', async () => {
    const d = await parseDatasetFiles([
      f('train-images-idx3-ubyte.gz', gzipSync(idxImages(6, 4, 4))),
      f('train-labels-idx1-ubyte.gz', gzipSync(idxLabels([0, 1, 2, 0, 1, 2]))),
      f('t10k-images-idx3-ubyte.gz', gzipSync(idxImages(2, 4, 4))),
      f('t10k-labels-idx1-ubyte.gz', gzipSync(idxLabels([1, 2]))),
    ]);
    expect([d.channels, d.height, d.width, d.train.count, d.test.count]).toEqual([1, 4, 4, 6, 2]);
    expect(d.classNames).toEqual(['0', '1', '2']);
    expect(d.name).toBe('train-images-idx3-ubyte and 3 more · IDX (MNIST-style)');
  });

  it('splits an upload without a test set, stratified and seeded; the id is the files and the split that shaped it', async () => {
    const files = [f('digits.csv', utf8(`label,a,b,c,d\n${csvRows(50, 5)}\n`))];
    const a = await parseDatasetFiles(files, { seed: 1 });
    const b = await parseDatasetFiles(files, { seed: 2, testFraction: 0.4, name: 'mine' });
    expect([a.train.count, a.test.count]).toEqual([40, 10]);
    expect([b.train.count, b.test.count]).toEqual([30, 20]);
    expect(b.name).toBe('mine');
    for (let c = 0; c < 5; c++) expect(Array.from(a.test.labels).filter((l) => l === c)).toHaveLength(2);
    expect(Array.from(a.test.pixels)).not.toEqual(Array.from((await parseDatasetFiles(files, { seed: 2 })).test.pixels));
    // Another split of the same files is another dataset: stored beside the first, not over it.
    expect(a.id).not.toBe(b.id);
    expect((await parseDatasetFiles(files, { seed: 1 })).id).toBe(a.id);
    expect((await parseDatasetFiles(files)).id).toBe(await datasetContentId(files));
    expect((await parseDatasetFiles(files, { seed: 2, testFraction: 0.4 })).name).toBe('digits · CSV, 40% test, split seed 2');
  });

  it('reads a zip of class folders of images with the injected decoder', async () => {
    const zip = zipSync({
      'pets/cat/1.png': fakePng(3, 3, [9, 0, 0]),
      'pets/cat/2.png': fakePng(3, 3, [8, 0, 0]),
      'pets/dog/1.png': fakePng(3, 3, [0, 9, 0]),
      'pets/dog/2.png': fakePng(3, 3, [0, 8, 0]),
    });
    const d = await parseDatasetFiles([f('pets.zip', zip)], { images: { decode: fakeDecode, size: 2 }, testFraction: 0.5 });
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect([d.channels, d.height, d.width, d.train.count, d.test.count]).toEqual([3, 2, 2, 2, 2]);
    await expect(parseDatasetFiles([f('pets.zip', zip)])).rejects.toThrow(/needs opts.images.decode/);
  });

  it('hashes names and bytes, independent of file order', async () => {
    const x = f('a.bin', Uint8Array.from([1, 2, 3]));
    const y = f('b.bin', Uint8Array.from([4]));
    const id = await datasetContentId([x, y]);
    expect(await datasetContentId([y, x])).toBe(id);
    expect(await datasetContentId([x, f('b.bin', Uint8Array.from([5]))])).not.toBe(id);
    expect(await datasetContentId([x, f('c.bin', y.bytes)])).not.toBe(id);
  });
});

describe('parseDatasetFiles: a corpus of bad uploads, each with its own error code', () => {
  const rng = new RandomStream(7, 1);
  const random = Uint8Array.from({ length: 1000 }, () => rng.nextU32() & 255);
  const zeros50 = () => zipSync({ 'train.csv': new Uint8Array(50 * MiB) }, { level: 9 });
  const cases: [string, () => Promise<unknown>, string][] = [
    ['no files', () => parseDatasetFiles([]), 'empty'],
    ['a zero-byte file', () => parseDatasetFiles([f('data_batch_1.bin', new Uint8Array(0))]), 'empty'],
    ['random bytes', () => parseDatasetFiles([f('upload.dat', random)]), 'unknown-format'],
    ['random bytes named as IDX', () => parseDatasetFiles([f('train-images-idx3-ubyte', random)]), 'bad-magic'],
    [
      'IDX with a wrong magic number',
      () => parseDatasetFiles([f('train-images-idx3-ubyte', Uint8Array.from([0, 0, 8, 4, 0, 0, 0, 0]))]),
      'bad-magic',
    ],
    ['a .zip that is not one', () => parseDatasetFiles([f('set.zip', random)]), 'bad-magic'],
    ['a truncated CIFAR record', () => parseDatasetFiles([f('data_batch_1.bin', cifarBytes([1, 2]).subarray(0, 5000))]), 'truncated'],
    ['a CIFAR-10 label out of range', () => parseDatasetFiles([f('data_batch_1.bin', cifarBytes([1, 12]))]), 'label-range'],
    [
      'mismatched image and label counts',
      () => parseDatasetFiles([f('train-images-idx3-ubyte', idxImages(5, 2, 2)), f('train-labels-idx1-ubyte', idxLabels([1, 2, 3]))]),
      'count-mismatch',
    ],
    [
      'IDX with the right magic but dims that do not match its length',
      () =>
        parseDatasetFiles([
          f('train-images-idx3-ubyte', idxImages(5, 2, 2, [5, 3, 2])),
          f('train-labels-idx1-ubyte', idxLabels([1, 2, 3, 4, 5])),
        ]),
      'truncated',
    ],
    [
      'IDX whose header claims fewer images than it holds',
      () =>
        parseDatasetFiles([
          f('train-images-idx3-ubyte', idxImages(5, 2, 2, [4, 2, 2])),
          f('train-labels-idx1-ubyte', idxLabels([1, 2, 3, 4])),
        ]),
      'size-mismatch',
    ],
    [
      'images of inconsistent sizes',
      () =>
        parseDatasetFiles([f('a/1.png', fakePng(2, 2, [1, 1, 1])), f('b/1.png', fakePng(3, 2, [1, 1, 1]))], {
          images: { decode: fakeDecode },
        }),
      'size-mismatch',
    ],
    [
      'CSV files of different widths',
      () => parseDatasetFiles([f('train.csv', utf8('1,0,0,0,0')), f('test.csv', utf8('1,0,0,0,0,0,0,0,0,0'))]),
      'size-mismatch',
    ],
    [
      'an empty class folder',
      () =>
        parseDatasetFiles(
          [
            f(
              'set.zip',
              zipSync({ 'cat/1.png': fakePng(1, 1, [1, 1, 1]), 'dog/1.png': fakePng(1, 1, [1, 1, 1]), 'owl/': new Uint8Array(0) }),
            ),
          ],
          { images: { decode: fakeDecode } },
        ),
      'empty-class',
    ],
    [
      'a class folder holding no images',
      () =>
        parseDatasetFiles(
          [f('cat/1.png', fakePng(1, 1, [1, 1, 1])), f('dog/1.png', fakePng(1, 1, [1, 1, 1])), f('owl/notes.txt', utf8('hoot'))],
          { images: { decode: fakeDecode } },
        ),
      'empty-class',
    ],
    ['a file over the byte limit', () => parseDatasetFiles([f('train.csv', utf8(csvRows(100, 2)))], { maxBytes: 100 }), 'too-large'],
    ['a zip bomb', () => parseDatasetFiles([f('bomb.zip', zeros50())], { limits: { maxExpandedBytes: 10 * MiB } }), 'archive-too-large'],
    [
      'mixed formats',
      () => parseDatasetFiles([f('train.csv', utf8('1,0,0,0,0')), f('data_batch_1.bin', cifarBytes([1]))]),
      'unknown-format',
    ],
    ['too few images to hold out a test set', () => parseDatasetFiles([f('train.csv', utf8('1,0,0,0,0\n2,0,0,0,0'))]), 'empty'],
  ];
  for (const [what, run, code] of cases) {
    it(`${what} -> ${code}`, async () => {
      expect(await errorCode(run)).toBe(code);
    });
  }

  it('says what is wrong and how to fix it', async () => {
    await expect(parseDatasetFiles([f('train.csv', utf8(csvRows(100, 2)))], { maxBytes: 100 })).rejects.toThrow(
      /more than the 100 bytes limit; upload fewer files/,
    );
    await expect(parseDatasetFiles([f('upload.dat', random)])).rejects.toThrow(/^upload\.dat: no dataset found; supported are/);
  });
});
