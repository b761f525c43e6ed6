// Which dataset a command uses: the experiment's built-in one, or the files given with
// --data (CIFAR batches or .tar.gz, IDX, CSV: what the lab's upload accepts, parsed by
// the same code). With --data the experiment's dataset becomes that upload's content
// hash, the id the browser gives the same files, so exports and links match; an
// experiment on a standard benchmark (cifar10...) keeps that name if the files are it.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Dataset, ExperimentConfig } from '../lab';
import { loadBuiltinDataset, datasetFromFiles, type UploadOptions, factsOf, findStandardDataset, isStandardUpload, mismatch } from '../lab';
import { readAsset } from './assets';

/** `opts`: how the files are read (--test-split, --csv-shape), as the upload panel's options. */
export async function datasetFor(
  exp: ExperimentConfig,
  files: readonly string[] | undefined,
  opts: UploadOptions = {},
): Promise<{ exp: ExperimentConfig; dataset: Dataset }> {
  const std = findStandardDataset(exp.dataset);
  if (!files?.length) {
    if (std) throw new Error(`the experiment trains on ${std.name}: download ${std.file} (${std.url}) and pass it with --data ${std.file}`);
    return { exp, dataset: await loadBuiltinDataset(exp.dataset, readAsset) };
  }
  const inputs = files.map((path) => {
    try {
      return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
    } catch (e) {
      throw new Error(`--data ${path}: ${(e as Error).message}`);
    }
  });
  const dataset = await datasetFromFiles(inputs, opts);
  if (std) {
    // The experiment names the benchmark, not these files: keep its name if they are it.
    if (!isStandardUpload(factsOf(dataset), std)) throw new Error(`--data ${files.join(' ')}: ${mismatch(factsOf(dataset), std)}`);
    return { exp, dataset: { ...dataset, id: std.id } };
  }
  return { exp: { ...exp, dataset: dataset.id }, dataset };
}
