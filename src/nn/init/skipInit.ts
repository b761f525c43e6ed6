// SkipInit (De & Smith 2020), docs/science.md section 4: no BatchNorm, He weights, and a
// learned a_res that starts at 0, so every residual block starts as the identity
// (with the post-addition ReLU; without it, see ReZero in reZero.ts).

import type { ResNetModel } from '../resnet';
import type { ResNetConfig } from '../resnetConfig';
import { baseValues, WEIGHT_KINDS, type InitValues } from './common';
import { assertRequirements, resolveOptions, type InitOptionValues, type InitScheme } from './scheme';
import { setHe } from './weights';

export function skipInitRequires(cfg: ResNetConfig): string[] {
  const out: string[] = [];
  if (cfg.batchNorm) out.push('SkipInit replaces BatchNorm: turn batchNorm off.');
  if (!cfg.learnRes)
    out.push('SkipInit learns a_res from 0 (a fixed 0 would switch every residual branch off for good): turn learnRes on.');
  if (!cfg.postAddRelu)
    out.push('SkipInit keeps the post-addition ReLU; without it the scheme is ReZero: turn postAddRelu on, or choose ReZero.');
  return out;
}

/** He weights, a_res = 0, a_skip = 1: what SkipInit and ReZero share. */
export function initZeroResidual(model: ResNetModel, seed: number): InitValues {
  const v = baseValues(model, { aRes: 0, aSkip: 1 });
  setHe(model, seed, v, WEIGHT_KINDS);
  return v;
}

export function initSkipInit(model: ResNetModel, seed: number): InitValues {
  assertRequirements('SkipInit', skipInitRequires(model.config));
  return initZeroResidual(model, seed);
}

export const skipInitScheme: InitScheme = {
  id: 'skipinit',
  label: 'SkipInit',
  description:
    'No BatchNorm: He weights and a learned residual weight a_res that starts at 0, so every residual block starts as the identity.',
  options: [],
  requires: skipInitRequires,
  configFor: (base) => ({ ...base, blocksPerStage: [...base.blocksPerStage], batchNorm: false, learnRes: true, postAddRelu: true }),
  init(model: ResNetModel, seed: number, options: InitOptionValues = {}): InitValues {
    resolveOptions('SkipInit', [], options);
    return initSkipInit(model, seed);
  },
};
