// Fixup (Zhang, Dauphin & Ma 2019) as docs/science.md section 4 defines it: no BatchNorm;
// the last conv of every residual branch and the classifier weight are 0, the other
// branch convs are fan-out He (as the authors' code draws them) scaled by L^(-1/(2m-2)),
// m = 2 for basic blocks and 3 for bottlenecks; a_res is a learned multiplier from 1;
// the scalar biases start at 0; stem and projection skips are plain (fan-in) He.

import { numel } from '../../engine';
import type { ResNetModel } from '../resnet';
import { branchConvs, type ResNetConfig } from '../resnetConfig';
import { baseValues, type InitValues } from './common';
import { assertRequirements, resolveOptions, type InitOptionSpec, type InitOptionValues, type InitScheme } from './scheme';
import { heFanOutTensor, setHe } from './weights';

export interface FixupOptions {
  /** Number of residual branches; undefined: the model's block count. */
  L?: number;
  /** Layers per branch in the exponent -1/(2m-2); undefined: the block's convs. */
  m?: number;
}

const FIXUP_OPTIONS: readonly InitOptionSpec[] = [
  {
    key: 'L',
    label: 'L (residual branches)',
    type: 'number',
    default: null,
    integer: true,
    min: 1,
    description: 'Number of residual branches in the scaling L^(-1/(2m-2)); defaults to the number of residual blocks of the model.',
  },
  {
    key: 'm',
    label: 'm (layers per branch)',
    type: 'number',
    default: null,
    integer: true,
    min: 2,
    description:
      'Layers per residual branch in the exponent; defaults to the convs of a branch: 2 for basic blocks (L^(-1/2)), 3 for bottlenecks (L^(-1/4)).',
  },
];

export function fixupRequires(cfg: ResNetConfig): string[] {
  const out: string[] = [];
  if (cfg.batchNorm) out.push('Fixup replaces BatchNorm: turn batchNorm off.');
  if (!cfg.fixupBiases) out.push('Fixup needs its scalar biases before each conv, activation and the classifier: turn fixupBiases on.');
  if (!cfg.learnRes) out.push('Fixup learns a scalar multiplier on every residual branch (a_res from 1): turn learnRes on.');
  return out;
}

/** The factor on the first conv of each branch. */
export function fixupScale(L: number, m: number): number {
  return L ** (-1 / (2 * m - 2));
}

export function initFixup(model: ResNetModel, seed: number, options: Partial<FixupOptions> = {}): InitValues {
  const o = resolveOptions('Fixup', FIXUP_OPTIONS, options as InitOptionValues) as unknown as FixupOptions;
  assertRequirements('Fixup', fixupRequires(model.config));
  const scale = fixupScale(o.L ?? model.blocks.length, o.m ?? branchConvs(model.config));
  const v = baseValues(model, { aRes: 1, aSkip: 1 });
  setHe(model, seed, v, new Set(['stemConv', 'skipConv']));
  const last = new Set(model.blocks.map((b) => b.params.conv3 ?? b.params.conv2));
  for (const p of model.params) {
    if (p.kind === 'fcWeight' || last.has(p.id)) v.set(p.id, new Float64Array(numel(p.shape)));
    else if (p.kind === 'conv1' || p.kind === 'conv2')
      v.set(
        p.id,
        heFanOutTensor(seed, p).map((x) => x * scale),
      );
  }
  return v;
}

export const fixupScheme: InitScheme = {
  id: 'fixup',
  label: 'Fixup',
  description:
    'No BatchNorm: the last conv of every residual branch and the classifier start at 0, the other branch convs are fan-out He scaled by L^(-1/(2m-2)) (m convs per branch), with learned scalar biases and branch multipliers. Every residual block starts as the identity.',
  options: FIXUP_OPTIONS,
  scalarLr: 0.1,
  requires: fixupRequires,
  configFor: (base) => ({ ...base, blocksPerStage: [...base.blocksPerStage], batchNorm: false, fixupBiases: true, learnRes: true }),
  init: (model, seed, options: InitOptionValues = {}) => initFixup(model, seed, options as Partial<FixupOptions>),
};
