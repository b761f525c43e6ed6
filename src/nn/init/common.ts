// Values every scheme shares: BatchNorm gamma = 1, beta = 0, running mean 0 / var 1,
// biases 0, and the fan-in of a weight. Schemes start from these and override.

import { numel } from '../../engine';
import type { ParamInfo, ResNetModel } from '../resnet';

export type InitValues = Map<number, Float64Array>;

export function fanIn(shape: readonly number[]): number {
  // conv [cout, cin, kh, kw] -> cin*kh*kw; linear [out, in] -> in.
  return numel(shape.slice(1));
}

/** Defaults for everything that is not a weight: BN affine and stats, scalars, biases. */
export function baseValues(model: ResNetModel, scalars: { aRes: number; aSkip: number }): InitValues {
  const v: InitValues = new Map();
  const fill = (p: ParamInfo | { id: number; shape: readonly number[] }, x: number) =>
    v.set(p.id, new Float64Array(numel(p.shape)).fill(x));
  for (const p of model.params) {
    if (p.kind === 'bnGamma') fill(p, 1);
    else if (p.kind === 'bnBeta' || p.kind === 'fixupBias' || p.kind === 'fcBias') fill(p, 0);
    else if (p.kind === 'aRes') fill(p, scalars.aRes);
    else if (p.kind === 'aSkip') fill(p, scalars.aSkip);
  }
  for (const s of model.state) fill({ id: s.id, shape: model.graph.tensors[s.id].shape }, s.kind === 'runningVar' ? 1 : 0);
  return v;
}

export const CONV_KINDS: ReadonlySet<ParamInfo['kind']> = new Set(['stemConv', 'conv1', 'conv2', 'conv3', 'skipConv']);
export const WEIGHT_KINDS: ReadonlySet<ParamInfo['kind']> = new Set([...CONV_KINDS, 'fcWeight']);
