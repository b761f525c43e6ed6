// Descriptor of shaders/batchNormEvalBackward.wgsl: the input gradient of eval-mode
// batch norm (running statistics are constants). It does not produce gamma / beta
// gradients: eval mode is for Jacobians and evaluation, never for training updates.

import code from '../../../shaders/batchNormEvalBackward.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkChannels, checkDims } from './channelReduce';
import { grid1d, withCommon } from './common';

export const batchNormEvalBackwardKernel: KernelSpec = {
  name: 'batchNormEvalBackward',
  code: withCommon(code),
  storage: ['read', 'read', 'read', 'read_write'],
  uniforms: [['total', 'u32'], ['c', 'u32'], ['hw', 'u32'], ['eps', 'f32'], ['accumulate', 'u32']],
};

/** dx (+)= dy * gamma[c] / sqrt(runningVar[c] + eps) over NCHW; dx must not alias dy. */
export function batchNormEvalBackward(
  sink: KernelSink,
  dy: BufferRef,
  gamma: BufferRef,
  runningVar: BufferRef,
  dx: BufferRef,
  p: { n: number; c: number; h: number; w: number; eps: number; accumulate?: boolean },
): void {
  checkDims('batchNormEvalBackward', { n: p.n, h: p.h, w: p.w });
  checkChannels(p.c, 'batchNormEvalBackward');
  const hw = p.h * p.w;
  const total = p.n * p.c * hw;
  sink.dispatch({
    kernel: batchNormEvalBackwardKernel,
    buffers: [dy, gamma, runningVar, dx],
    uniforms: { total, c: p.c, hw, eps: p.eps, accumulate: p.accumulate ? 1 : 0 },
    workgroups: grid1d(total),
  });
}
