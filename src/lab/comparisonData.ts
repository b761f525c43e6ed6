// What a comparison feeds its runs: one training batch stream per seed (same data order
// and augmentation for every run of that seed), one fixed test stream, and the inputs
// its diagnostics measure on, per seed. Pure setup, no GPU.

import { Batcher, channelStats } from '../data';
import type { Dataset } from '../data';
import { dataInputs, noiseInputs, type DiagnosticInputs } from './diagnosticInputs';
import type { ExperimentConfig } from './experimentConfig';

export interface ComparisonData {
  /** Per seed, in the order of `seeds`. */
  train: Batcher[];
  test: Batcher;
  /** Per seed. */
  diagnosticInputs: DiagnosticInputs[];
  /** What the experiment asked for that the data does not allow, in words. */
  warnings: string[];
}

/** The streams for `seeds` (the experiment's seed, seed + 1, ...). Throws, saying how to
 * fix it, when the training set holds less than one batch. */
export function comparisonData(experiment: ExperimentConfig, dataset: Dataset, seeds: readonly number[]): ComparisonData {
  const dims = { channels: dataset.channels, height: dataset.height, width: dataset.width };
  const normalize = channelStats(dataset.train, dims);
  const b = experiment.batchSize;
  if (dataset.train.count < b)
    throw new Error(`the training set has ${dataset.train.count} images, fewer than one batch of ${b}; lower the batch size`);
  const warnings: string[] = [];
  // A mirrored digit is another glyph (or none): flips stay off for handwritten digits.
  const digits = dataset.id === 'mnist';
  if (digits && experiment.augment.flip) warnings.push('horizontal flips are off for MNIST: a mirrored digit is not the same digit');
  const augment = { flip: experiment.augment.flip && !digits, cropPad: experiment.augment.cropPad };
  const train = seeds.map(
    (seed) =>
      new Batcher(dataset.train, dims, {
        batchSize: b,
        seed,
        shuffle: true,
        dropLast: true,
        normalize,
        augment,
        mixup: experiment.augment.mixup,
      }),
  );
  const test = new Batcher(dataset.test, dims, { batchSize: b, seed: experiment.seed, shuffle: false, dropLast: true, normalize });
  const d = experiment.diagnostics;
  const diagnosticInputs = seeds.map((seed) =>
    d.signal === 'data'
      ? dataInputs(dataset, normalize, seed, d.pairs)
      : noiseInputs(seed, dataset.channels, dataset.height, { pairs: d.pairs, inputCosine: d.inputCosine }),
  );
  return { train, test, diagnosticInputs, warnings };
}

/** The evaluation's batches: the first `evalBatches` of the test set (0: all of it), the
 * same for every run and every evaluation. Built anew each time (the whole test set
 * would be too much to keep). */
export function testBatches(test: Batcher, evalBatches: number): { x: Float32Array; labels: Uint32Array }[] {
  const n = Math.min(evalBatches || test.batchesPerEpoch, test.batchesPerEpoch);
  test.position = { epoch: 0, indexInEpoch: 0 };
  return Array.from({ length: n }, () => {
    const b = test.next();
    return { x: b.x.slice(), labels: b.labels.slice() };
  });
}
