// Risotto (Gadhikar & Burkholz): the looks-linear, delta-orthogonal construction of
// docs/science.md section 3 that makes every block map the split signal d to Q d exactly,
// so the input-output Jacobian is orthogonal at any depth and width. Exactly the
// formulas of that section; the naive looks-linear variant lives in ablations.ts.

import type { BlockInfo, ResNetModel } from '../resnet';
import { blockOf, type ResNetConfig } from '../resnetConfig';
import { baseValues, type InitValues } from './common';
import {
  assertRequirements,
  resolveOptions,
  splitWidthRequirements,
  type InitOptionSpec,
  type InitOptionValues,
  type InitScheme,
} from './scheme';
import {
  blockDiagonal2,
  combine,
  concatNegated,
  deltaKernel,
  identity,
  linearWeight,
  looksLinear,
  mul,
  orth,
  permutationMatrix,
  scaled,
  stackNegated,
  tensorStream,
  transposed,
} from './weights';

export interface RisottoOptions {
  aRes: number;
  aSkip: number;
  permutation: 'identity' | 'random';
}

const RISOTTO_OPTIONS: readonly InitOptionSpec[] = [
  {
    key: 'aRes',
    label: 'a_res',
    type: 'number',
    default: 1,
    nonZero: true,
    description: 'Initial residual-branch weight (any non-zero value; the construction divides by it).',
  },
  {
    key: 'aSkip',
    label: 'a_skip',
    type: 'number',
    default: 1,
    nonZero: true,
    description: 'Initial skip weight (any non-zero value; the construction divides by it).',
  },
  {
    key: 'permutation',
    label: 'Type B permutation P',
    type: 'choice',
    default: 'identity',
    choices: ['identity', 'random'],
    description: 'The permutation in conv1 of identity-skip blocks: the identity, or a uniformly random one per block.',
  },
];

export function risottoRequires(cfg: ResNetConfig): string[] {
  const out = splitWidthRequirements('Risotto', cfg);
  if (blockOf(cfg) === 'bottleneck' && cfg.skip === 'B') {
    out.push(
      'Risotto on bottleneck blocks needs Type C (projection) skips: with an identity skip the branch would have to produce (Q - a_skip I) d, of rank n, through its narrower 1x1 -> 3x3 -> 1x1 bottleneck, which no random orthogonal Q allows exactly. Set skip to C.',
    );
  }
  if (!cfg.postAddRelu) {
    out.push(
      'Risotto needs the post-addition ReLU (it returns each block output to the split form [relu(d); relu(-d)]): turn postAddRelu on.',
    );
  }
  return out;
}

/** Stem and classifier: shared with the naive looks-linear ablation. */
export function setLooksLinearEnds(model: ResNetModel, seed: number, v: InitValues): void {
  const cin = model.config.inputChannels;
  for (const p of model.params) {
    if (p.kind === 'stemConv') {
      const u0 = orth(tensorStream(seed, p.id), p.shape[0] / 2, cin);
      v.set(p.id, deltaKernel(stackNegated(u0), p.shape));
    } else if (p.kind === 'fcWeight') {
      const vm = orth(tensorStream(seed, p.id), p.shape[0], p.shape[1] / 2);
      v.set(p.id, linearWeight(concatNegated(vm), p.shape));
    }
  }
}

function shapeOf(model: ResNetModel, id: number): readonly number[] {
  return model.graph.tensors[id].shape;
}

/** Projection block: U1, U2, Q, Us = (Q - a_res U2 U1) / a_skip. */
function typeC(model: ResNetModel, seed: number, b: BlockInfo, o: RisottoOptions, v: InitValues): void {
  const { conv1, conv2, skipConv } = b.params;
  if (skipConv === undefined) throw new Error(`block ${b.index}: projection block without a skip conv`);
  const [nIn, nOut] = [b.cin / 2, b.cout / 2];
  const u1 = orth(tensorStream(seed, conv1), nOut, nIn);
  const u2 = orth(tensorStream(seed, conv2), nOut, nOut);
  const q = orth(tensorStream(seed, skipConv), nOut, nIn);
  const us = combine(1 / o.aSkip, q, -o.aRes / o.aSkip, mul(u2, u1));
  v.set(conv1, deltaKernel(looksLinear(u1), shapeOf(model, conv1)));
  v.set(conv2, deltaKernel(looksLinear(u2), shapeOf(model, conv2)));
  v.set(skipConv, deltaKernel(looksLinear(us), shapeOf(model, skipConv)));
}

/** Bottleneck (Type C only): U1, U2, U3, Q, Us = (Q - a_res U3 U2 U1) / a_skip; conv1
 * and conv3 are 1x1, the stride sits on the 3x3 conv2 and on the skip. */
function bottleneck(model: ResNetModel, seed: number, b: BlockInfo, o: RisottoOptions, v: InitValues): void {
  const { conv1, conv2, conv3, skipConv } = b.params;
  if (skipConv === undefined || conv3 === undefined)
    throw new Error(`block ${b.index}: a Risotto bottleneck needs conv3 and a projection skip`);
  const [nIn, nMid, nOut] = [b.cin / 2, shapeOf(model, conv1)[0] / 2, b.cout / 2];
  const u1 = orth(tensorStream(seed, conv1), nMid, nIn);
  const u2 = orth(tensorStream(seed, conv2), nMid, nMid);
  const u3 = orth(tensorStream(seed, conv3), nOut, nMid);
  const q = orth(tensorStream(seed, skipConv), nOut, nIn);
  const us = combine(1 / o.aSkip, q, -o.aRes / o.aSkip, mul(u3, mul(u2, u1)));
  v.set(conv1, deltaKernel(looksLinear(u1), shapeOf(model, conv1)));
  v.set(conv2, deltaKernel(looksLinear(u2), shapeOf(model, conv2)));
  v.set(conv3, deltaKernel(looksLinear(u3), shapeOf(model, conv3)));
  v.set(skipConv, deltaKernel(looksLinear(us), shapeOf(model, skipConv)));
}

/** Identity-skip block: conv1 = LL(P), conv2 = (LL(Q) - a_skip I) Pi^T / a_res. */
function typeB(model: ResNetModel, seed: number, b: BlockInfo, o: RisottoOptions, v: InitValues): void {
  const { conv1, conv2 } = b.params;
  const n = b.cout / 2;
  const pStream = tensorStream(seed, conv1);
  const p = o.permutation === 'random' ? permutationMatrix(pStream.permutation(n)) : identity(n);
  const q = orth(tensorStream(seed, conv2), n, n);
  const corrected = combine(1, looksLinear(q), -o.aSkip, identity(2 * n));
  const w2 = mul(corrected, transposed(blockDiagonal2(p)));
  v.set(conv1, deltaKernel(looksLinear(p), shapeOf(model, conv1)));
  v.set(conv2, deltaKernel(scaled(w2, 1 / o.aRes), shapeOf(model, conv2)));
}

export function initRisotto(model: ResNetModel, seed: number, options: Partial<RisottoOptions> = {}): InitValues {
  const o = resolveOptions('Risotto', RISOTTO_OPTIONS, options) as unknown as RisottoOptions;
  assertRequirements('Risotto', risottoRequires(model.config));
  const v = baseValues(model, { aRes: o.aRes, aSkip: o.aSkip });
  setLooksLinearEnds(model, seed, v);
  for (const b of model.blocks) {
    if (b.params.conv3 !== undefined) bottleneck(model, seed, b, o, v);
    else if (b.skip === 'projection') typeC(model, seed, b, o, v);
    else typeB(model, seed, b, o, v);
  }
  return v;
}

export const risottoScheme: InitScheme = {
  id: 'risotto',
  label: 'Risotto',
  looksLinear: true,
  description:
    'Looks-linear delta-orthogonal weights with a skip correction that cancels the residual branch against the skip: every block maps its signal by an orthogonal matrix, so the input-output Jacobian is exactly orthogonal at init (without BatchNorm).',
  options: RISOTTO_OPTIONS,
  requires: risottoRequires,
  configFor: (base) => ({ ...base, blocksPerStage: [...base.blocksPerStage], postAddRelu: true }),
  init: (model, seed, options: InitOptionValues = {}) => initRisotto(model, seed, options as Partial<RisottoOptions>),
};
