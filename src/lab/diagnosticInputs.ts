// What signal propagation and the batch-statistics reference are measured on: K pairs
// of training images of different classes plus a reference batch of N training images
// (normalised like the training batches), or Gaussian pairs of a chosen cosine with a
// reference batch of noise. Seeded, so a run's diagnostics are reproducible.

import { noiseReferenceBatch, REFERENCE_BATCH, DEFAULT_SIGNAL_PAIRS, gaussianPairs } from '../analysis';
import type { Dataset } from '../data';
import { RandomStream, Streams } from '../util';

export interface DiagnosticInputs {
  source: 'data' | 'noise';
  /** Each C x S x S at the model's input size. */
  pairs: [Float64Array, Float64Array][];
  /** REFERENCE_BATCH x C x S x S: the batch whose statistics BN uses in 'batch' mode. */
  reference: Float64Array;
}

export function noiseInputs(
  seed: number,
  channels: number,
  size: number,
  opts: { pairs?: number; inputCosine?: number } = {},
): DiagnosticInputs {
  return {
    source: 'noise',
    pairs: gaussianPairs(seed, opts.pairs ?? DEFAULT_SIGNAL_PAIRS, channels * size * size, opts.inputCosine ?? 0),
    reference: noiseReferenceBatch(seed, channels, size),
  };
}

/** Pairs of training images of different classes and a reference batch, drawn with the
 * probe stream of `seed`; falls back to noise when the split has a single class. */
export function dataInputs(
  dataset: Dataset,
  normalize: { mean: number[]; std: number[] },
  seed: number,
  pairs = DEFAULT_SIGNAL_PAIRS,
): DiagnosticInputs {
  const { channels: c, height: h, width: w, train } = dataset;
  if (h !== w) throw new Error(`diagnostics need square images, ${dataset.name} has ${h} x ${w}`);
  const per = c * h * w;
  const image = (i: number): Float64Array => {
    const out = new Float64Array(per);
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++)
        out[ch * h * w + p] = (train.pixels[i * per + ch * h * w + p] / 255 - normalize.mean[ch]) / normalize.std[ch];
    }
    return out;
  };
  const rng = new RandomStream(seed, Streams.probe).fork(4);
  const pick = () => rng.int(train.count);
  const chosen: [Float64Array, Float64Array][] = [];
  for (let tries = 0; chosen.length < pairs && tries < 100 * pairs; tries++) {
    const [a, b] = [pick(), pick()];
    if (train.labels[a] !== train.labels[b]) chosen.push([image(a), image(b)]);
  }
  if (chosen.length < pairs) return noiseInputs(seed, c, h, { pairs });
  const reference = new Float64Array(REFERENCE_BATCH * per);
  for (let n = 0; n < REFERENCE_BATCH; n++) reference.set(image(pick()), n * per);
  return { source: 'data', pairs: chosen, reference };
}
