// The two ablations of docs/science.md section 4, each removing one ingredient of Risotto:
// delta-orthogonal kernels of plain orthogonal matrices (no looks-linear split), and
// looks-linear delta kernels without the skip correction (conv1 = LL(U1), conv2 =
// LL(U2), skips left as they are). Neither is isometric; that is what they show.

import type { BlockInfo, ResNetModel } from '../resnet';
import type { ResNetConfig } from '../resnetConfig';
import { baseValues, CONV_KINDS, type InitValues } from './common';
import { setLooksLinearEnds } from './risotto';
import { assertRequirements, resolveOptions, splitWidthRequirements, type InitOptionValues, type InitScheme } from './scheme';
import { deltaKernel, linearWeight, looksLinear, orth, tensorStream } from './weights';

const copyOf = (base: ResNetConfig): ResNetConfig => ({ ...base, blocksPerStage: [...base.blocksPerStage] });

/** Every conv delta(orth(cout, cin), k), the classifier orth(K, C); a_res = a_skip = 1. */
export function initDeltaOrthogonal(model: ResNetModel, seed: number): InitValues {
  const v = baseValues(model, { aRes: 1, aSkip: 1 });
  for (const p of model.params) {
    const rng = () => tensorStream(seed, p.id);
    if (CONV_KINDS.has(p.kind)) {
      v.set(p.id, deltaKernel(orth(rng(), p.shape[0], p.shape[1]), p.shape));
    } else if (p.kind === 'fcWeight') {
      v.set(p.id, linearWeight(orth(rng(), p.shape[0], p.shape[1]), p.shape));
    }
  }
  return v;
}

function looksLinearNoCorrectionRequires(cfg: ResNetConfig): string[] {
  return splitWidthRequirements('Looks-linear without skip correction', cfg);
}

function naiveBlock(model: ResNetModel, seed: number, b: BlockInfo, v: InitValues): void {
  const { conv1, conv2, conv3, skipConv } = b.params;
  // Every branch conv LL(orth(cout / 2, cin / 2)); the "unchanged" projection skip is
  // Risotto's LL(Q) before the correction Us = (Q - U2 U1).
  for (const id of [conv1, conv2, conv3, skipConv]) {
    if (id === undefined) continue;
    const shape = model.graph.tensors[id].shape;
    v.set(id, deltaKernel(looksLinear(orth(tensorStream(seed, id), shape[0] / 2, shape[1] / 2)), shape));
  }
}

/** Risotto's stem and classifier; blocks with conv1 = LL(U1), conv2 = LL(U2), skip LL(Q)
 * or the identity; a_res = a_skip = 1. */
export function initLooksLinearNoCorrection(model: ResNetModel, seed: number): InitValues {
  assertRequirements('Looks-linear without skip correction', looksLinearNoCorrectionRequires(model.config));
  const v = baseValues(model, { aRes: 1, aSkip: 1 });
  setLooksLinearEnds(model, seed, v);
  for (const b of model.blocks) naiveBlock(model, seed, b, v);
  return v;
}

export const deltaOrthogonalScheme: InitScheme = {
  id: 'deltaOrthogonal',
  label: 'Delta-orthogonal (ablation)',
  description:
    'Ablation: every conv a delta kernel of a random orthogonal matrix, without the looks-linear split. ReLUs discard half the signal, so the Jacobian is not isometric.',
  options: [],
  requires: () => [],
  configFor: copyOf,
  init(model: ResNetModel, seed: number, options: InitOptionValues = {}): InitValues {
    resolveOptions('Delta-orthogonal', [], options);
    return initDeltaOrthogonal(model, seed);
  },
};

export const looksLinearNoCorrectionScheme: InitScheme = {
  id: 'looksLinearNoCorrection',
  label: 'Looks-linear, no skip correction (ablation)',
  looksLinear: true,
  description:
    "Ablation: Risotto's looks-linear delta-orthogonal convs but without the skip correction, so the residual branch simply adds to the skip; its singular values drift from 1 with depth.",
  options: [],
  requires: looksLinearNoCorrectionRequires,
  configFor: copyOf,
  init(model: ResNetModel, seed: number, options: InitOptionValues = {}): InitValues {
    resolveOptions('Looks-linear without skip correction', [], options);
    return initLooksLinearNoCorrection(model, seed);
  },
};
