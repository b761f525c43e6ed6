// ReZero (Bachlechner et al. 2021), docs/science.md section 4: SkipInit without the
// post-addition ReLU, x' = x + alpha F(x) with alpha (a_res) learned from 0.

import type { ResNetModel } from '../resnet';
import type { ResNetConfig } from '../resnetConfig';
import type { InitValues } from './common';
import { assertRequirements, resolveOptions, type InitOptionValues, type InitScheme } from './scheme';
import { initZeroResidual } from './skipInit';

export function reZeroRequires(cfg: ResNetConfig): string[] {
  const out: string[] = [];
  if (cfg.batchNorm) out.push('ReZero replaces BatchNorm: turn batchNorm off.');
  if (!cfg.learnRes) out.push('ReZero learns its residual weight alpha (a_res) from 0: turn learnRes on.');
  if (cfg.postAddRelu) out.push("ReZero has no ReLU after the addition (x' = x + alpha F(x)): turn postAddRelu off.");
  return out;
}

export function initReZero(model: ResNetModel, seed: number): InitValues {
  assertRequirements('ReZero', reZeroRequires(model.config));
  return initZeroResidual(model, seed);
}

export const reZeroScheme: InitScheme = {
  id: 'rezero',
  label: 'ReZero',
  description:
    'Like SkipInit but without the ReLU after the addition: each block is x + alpha F(x), alpha learned from 0, so every block starts as the identity.',
  options: [],
  requires: reZeroRequires,
  configFor: (base) => ({ ...base, blocksPerStage: [...base.blocksPerStage], batchNorm: false, learnRes: true, postAddRelu: false }),
  init(model: ResNetModel, seed: number, options: InitOptionValues = {}): InitValues {
    resolveOptions('ReZero', [], options);
    return initReZero(model, seed);
  },
};
