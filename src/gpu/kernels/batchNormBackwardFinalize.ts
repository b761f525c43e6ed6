// Descriptor of shaders/batchNormBackwardFinalize.wgsl: dgamma / dbeta from the chunk
// partials (written or accumulated) and the per-channel dx coefficients (what
// common/bnGradRecord.wgsl computes per channel).

import record from '../../../shaders/common/bnGradRecord.wgsl?raw';
import code from '../../../shaders/batchNormBackwardFinalize.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { COMBINE_WG, withChunkCombine } from './channelReduce';

export const batchNormBackwardFinalizeKernel = defineKernel({
  name: 'batchNormBackwardFinalize',
  code: withChunkCombine(`${record}\n${code}`),
  constants: { WG: COMBINE_WG },
});

/** `fwd` is the forward's record [c] vec4 (mean, gamma*invStd, beta, invStd); `coef`
 * receives c*4 floats, (A, B, K, mean) per channel, for batchNormBackwardData. */
export function batchNormBackwardFinalize(
  sink: KernelSink,
  partials: BufferRef,
  fwd: BufferRef,
  dgamma: BufferRef,
  dbeta: BufferRef,
  coef: BufferRef,
  p: { c: number; chunks: number; m: number; accumulate: boolean },
): void {
  sink.dispatch({
    kernel: batchNormBackwardFinalizeKernel,
    buffers: { partials, fwd, dgamma, dbeta, coef },
    uniforms: { n: p.c, chunks: p.chunks, m: p.m, accGamma: p.accumulate ? 1 : 0 },
    workgroups: [p.c],
  });
}
