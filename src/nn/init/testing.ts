// Test helpers for init schemes: a small BN-free config, the float64 Jacobian of any
// activation with respect to the input image through the CPU interpreter (eval mode,
// so samples never interact), and singular values from the eigenvalues of the smaller
// Gram matrix. Not the lab's spectrum diagnostic (src/analysis).

import { runBackward, runForward, numel } from '../../engine';
import { gramOfColumns, symmetricEigenvalues, transpose } from '../../util';
import type { ResNetModel } from '../resnet';
import type { ResNetConfig } from '../resnetConfig';
import type { InitValues } from './common';

/** A small net for float64 checks: 3 input channels, width 8, no BatchNorm. */
export function smallConfig(over: Partial<ResNetConfig> = {}): ResNetConfig {
  return {
    inputChannels: 3,
    inputSize: 4,
    numClasses: 10,
    width: 8,
    blocksPerStage: [2, 1, 1],
    skip: 'B',
    batchNorm: false,
    learnRes: false,
    learnSkip: false,
    fixupBiases: false,
    postAddRelu: true,
    ...over,
  };
}

export interface Jacobian {
  rows: number;
  cols: number;
  /** Row-major rows x cols. */
  data: Float64Array;
}

/** d target / d input at the single input image `z` (C_in * S * S values). Every batch
 * slot gets `z`, and slot b seeds a different output row, so one reverse pass yields
 * `batch` rows: the model's batch size is a speed knob here. */
export function inputJacobian(model: ResNetModel, values: InitValues, target: number, z: Float64Array): Jacobian {
  const { graph, batch, input } = model;
  const cols = numel(graph.tensors[input].shape) / batch;
  if (z.length !== cols) throw new Error(`inputJacobian: ${z.length} input values, the model takes ${cols} per sample`);
  const rows = numel(graph.tensors[target].shape) / batch;
  const all = new Map(values);
  const zs = new Float64Array(batch * cols);
  for (let b = 0; b < batch; b++) zs.set(z, b * cols);
  all.set(input, zs);
  all.set(model.labels, new Float64Array(batch));
  const forward = runForward(graph, all, 'eval');
  const data = new Float64Array(rows * cols);
  const outLen = batch * rows;
  for (let start = 0; start < rows; start += batch) {
    const seed = new Float64Array(outLen);
    const used = Math.min(batch, rows - start);
    for (let b = 0; b < used; b++) seed[b * rows + start + b] = 1;
    // Gradient of <seed, target>: sample b's input gets exactly row start + b.
    const g = runBackward(graph, forward, new Map([[target, seed]]), [input]).get(input)!;
    for (let b = 0; b < used; b++) data.set(g.subarray(b * cols, (b + 1) * cols), (start + b) * cols);
  }
  return { rows, cols, data };
}

/** All min(rows, cols) singular values, descending (tiny negative eigenvalues from
 * rounding clamp to 0). */
export function singularValues(j: Jacobian): Float64Array {
  const wide = j.rows < j.cols;
  const [m, n] = wide ? [j.cols, j.rows] : [j.rows, j.cols];
  const a = wide ? transpose(j.data, j.rows, j.cols) : j.data;
  const lambda = symmetricEigenvalues(gramOfColumns(a, m, n), n);
  return Float64Array.from(lambda, (x) => Math.sqrt(Math.max(0, x))).reverse();
}

/** max |sigma - 1| over the singular values above `zeroTol`, and how many those are. */
export function isometryError(sigma: Float64Array, zeroTol = 1e-6): { maxDeviation: number; rank: number } {
  let maxDeviation = 0;
  let rank = 0;
  for (const s of sigma) {
    if (s <= zeroTol) continue;
    rank++;
    maxDeviation = Math.max(maxDeviation, Math.abs(s - 1));
  }
  return { maxDeviation, rank };
}
