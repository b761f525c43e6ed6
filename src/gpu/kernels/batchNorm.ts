// BatchNorm2d over NCHW float32 with PyTorch semantics: the public entry points that
// chain the batch-norm kernels (statistics, apply, eval, backward) and own their scratch.
// Normalisation uses the biased batch variance; running_var takes the unbiased one.

import type { BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { batchNormBackwardFinalize } from './batchNormBackwardFinalize';
import { batchNormBackwardReduce, bnReducePlan, isExpr, pickBnReduce } from './batchNormBackwardReduce';
import { batchNormStats } from './batchNormStats';
import { batchNormStatsFinalize } from './batchNormStatsFinalize';
import { checkChannels, checkDims, planChunks } from './channelReduce';
import { elementwise } from './elementwise';
import { fusedElementwise } from './fusedElementwise';
import { load, type FusedExpr, type PendingStats } from './fusedExpr';
import { batchNormGradApply, channelApplyFits, KERNEL_RECORD } from './channelApply';

export interface BatchNormShape {
  n: number;
  c: number;
  h: number;
  w: number;
}

function check(who: string, p: BatchNormShape): { hw: number; m: number } {
  checkDims(who, { n: p.n, h: p.h, w: p.w });
  checkChannels(p.c, who);
  return { hw: p.h * p.w, m: p.n * p.h * p.w };
}

/** What train-mode BatchNorm keeps per channel for the apply and the backward: coef [c]
 * vec4 = (mean, gamma*invStd, beta, invStd), invStd = 1/sqrt(biased var + eps). */
export interface BatchNormSaved {
  coef: BufferRef;
}

/** Chunk summaries (count, mean, M2) of x per channel already written by the kernel that
 * produced x (a conv epilogue): `partials` holds c*chunks*3 floats. */
export interface PrecomputedStats {
  partials: BufferRef;
  chunks: number;
}

/** Per-channel chunk partials (`values` floats per channel and chunk) reduced by this
 * pass's own dispatch, `reduce`, when no producer wrote them. */
function reducedHere(
  sink: KernelSink,
  c: number,
  m: number,
  values: number,
  label: string,
  reduce: (partials: BufferRef, plan: ReturnType<typeof planChunks>) => void,
  plan = planChunks(m),
): PrecomputedStats {
  const partials = sink.scratch(c * plan.chunks * values * 4, label);
  reduce(partials, plan);
  return { partials, chunks: plan.chunks };
}

/** The backward's per-channel sums of dy and dy*xhat reduced by their own pass, with the
 * variant the sink picks (a workgroup tree, or barrier-free on software rasterisers). */
function reduceGradSums(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef | FusedExpr,
  fwd: BufferRef,
  c: number,
  hw: number,
  m: number,
): PrecomputedStats {
  const variant = pickBnReduce(sink, c, hw, m);
  const plan = bnReducePlan(m, variant);
  const reduce = (out: BufferRef) => batchNormBackwardReduce(sink, x, dy, fwd, out, { c, hw, plan }, variant);
  return reducedHere(sink, c, m, 2, 'batchNorm:gradPartials', reduce, plan);
}

/** The batch statistics of x summed into chunk partials (with `pre`, those a conv epilogue
 * already wrote), not yet finalized: batchNormStatsFinalize does that alone, batchNormStatsApply
 * (channelApply.ts) together with the kernel that applies them. */
export function batchNormPartialStats(
  sink: KernelSink,
  x: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  saved: BatchNormSaved,
  runningMean: BufferRef,
  runningVar: BufferRef,
  p: BatchNormShape & { eps: number; momentum: number },
  pre?: PrecomputedStats,
): PendingStats {
  const { hw, m } = check('batchNormTrainForward', p);
  // Like PyTorch: one value per channel has no variance (and m - 1 = 0 below).
  if (m < 2) throw new RangeError(`batchNormTrainForward: need more than 1 value per channel, got n*h*w = ${m}`);
  const { partials, chunks } =
    pre ?? reducedHere(sink, p.c, m, 3, 'batchNorm:statsPartials', (out, plan) => batchNormStats(sink, x, out, { c: p.c, hw, plan }));
  return { partials, chunks, m, c: p.c, eps: p.eps, momentum: p.momentum, gamma, beta, coef: saved.coef, runningMean, runningVar };
}

/** y = gamma*xhat + beta with batch statistics (the statistics, their finalize, then the apply). */
export function batchNormTrainForward(
  sink: KernelSink,
  x: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  y: BufferRef,
  saved: BatchNormSaved,
  runningMean: BufferRef,
  runningVar: BufferRef,
  p: BatchNormShape & { eps: number; momentum: number },
): void {
  batchNormStatsFinalize(sink, batchNormPartialStats(sink, x, gamma, beta, saved, runningMean, runningVar, p));
  elementwise(sink, 'batchNormApply', { x, coef: saved.coef, out: y }, p.n * p.c * p.h * p.w, { c: p.c, hw: p.h * p.w });
}

/** y = gamma*(x - runningMean)/sqrt(runningVar + eps) + beta; nothing is updated. */
export function batchNormEvalForward(
  sink: KernelSink,
  x: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  runningMean: BufferRef,
  runningVar: BufferRef,
  y: BufferRef,
  p: BatchNormShape & { eps: number },
): void {
  const { hw } = check('batchNormEvalForward', p);
  elementwise(sink, 'batchNormEval', { x, gamma, beta, runningMean, runningVar, out: y }, p.n * p.c * hw, { c: p.c, hw, eps: p.eps });
}

/** dx is overwritten, or added to when `accumulateDx`; dgamma / dbeta are overwritten, or
 * added to when `accumulate`. dy is a buffer or a fused element-wise expression, read
 * where the reduction and the input gradient read it (no dispatch of its own). `fwd` is
 * what the forward saved (its record carries gamma*invStd). With `pre`, the per-channel
 * sums of dy and dy*xhat were already written (by the epilogue of the conv that produced
 * dy, as (sum dy, sum dy*xhat) per channel and chunk) and are not reduced again. With
 * `maxStorage` (the adapter's storage buffers per stage), the finalize and dx run as one
 * dispatch when that many bindings suffice (channelApply.ts). */
export function batchNormBackward(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef | FusedExpr,
  fwd: BatchNormSaved,
  dx: BufferRef,
  dgamma: BufferRef,
  dbeta: BufferRef,
  p: BatchNormShape & { accumulate?: boolean; accumulateDx?: boolean; maxStorage?: number },
  pre?: PrecomputedStats,
): void {
  const { hw, m } = check('batchNormBackward', p);
  const { partials, chunks } = pre ?? reduceGradSums(sink, x, dy, fwd.coef, p.c, hw, m);
  const sums = { partials, chunks, m, fwd: fwd.coef, dgamma, dbeta, accumulate: p.accumulate ?? false };
  const dxOf = (coef: BufferRef): FusedExpr => ({ op: 'bnGrad', dy: isExpr(dy) ? dy : load(dy), x: load(x), coef });
  const perChannel = { c: p.c, hw, accumulate: p.accumulateDx };
  if (p.maxStorage !== undefined && channelApplyFits('grad', dxOf(KERNEL_RECORD), KERNEL_RECORD, p.maxStorage)) {
    batchNormGradApply(sink, sums, dxOf(KERNEL_RECORD), dx, { n: p.n, ...perChannel });
    return;
  }
  const coef = sink.scratch(p.c * 4 * 4, 'batchNorm:dxCoef');
  batchNormBackwardFinalize(sink, sums, p.c, coef);
  if (isExpr(dy)) fusedElementwise(sink, dxOf(coef), dx, p.n * p.c * hw, perChannel);
  else elementwise(sink, 'batchNormBackwardData', { x, dy, coef, out: dx }, p.n * p.c * hw, perChannel);
}

/** Eval-mode input gradient, dx (+)= dy * gamma / sqrt(runningVar + eps): the running
 * statistics are constants, so there are no gamma / beta gradients (eval mode is for
 * Jacobians and evaluation, never for training updates). dx must not alias dy. */
export function batchNormEvalBackward(
  sink: KernelSink,
  dy: BufferRef,
  gamma: BufferRef,
  runningVar: BufferRef,
  dx: BufferRef,
  p: BatchNormShape & { eps: number; accumulate?: boolean },
): void {
  const { hw } = check('batchNormEvalBackward', p);
  elementwise(sink, 'batchNormEvalBackward', { dy, gamma, runningVar, out: dx }, p.n * p.c * hw, {
    c: p.c,
    hw,
    eps: p.eps,
    accumulate: p.accumulate,
  });
}
