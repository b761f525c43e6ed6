// Descriptor of shaders/batchNormBackwardFinalize.wgsl: dgamma / dbeta from the chunk
// partials (written or accumulated) and the per-channel dx coefficients.

import code from '../../../shaders/batchNormBackwardFinalize.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { COMBINE_WG, withChunkCombine } from './channelReduce';

export const batchNormBackwardFinalizeKernel = defineKernel({
  name: 'batchNormBackwardFinalize',
  code: withChunkCombine(code),
  constants: { WG: COMBINE_WG },
});

/** `coef` holds c*4 floats: (A, B, K, mean) per channel for batchNormBackwardData. */
export function batchNormBackwardFinalize(
  sink: KernelSink,
  partials: BufferRef,
  gamma: BufferRef,
  mean: BufferRef,
  invStd: BufferRef,
  dgamma: BufferRef,
  dbeta: BufferRef,
  coef: BufferRef,
  p: { c: number; chunks: number; m: number; accumulate: boolean },
): void {
  sink.dispatch({
    kernel: batchNormBackwardFinalizeKernel,
    buffers: { partials, gamma, mean, invStd, dgamma, dbeta, coef },
    uniforms: { n: p.c, chunks: p.chunks, m: p.m, accumulate: p.accumulate ? 1 : 0 },
    workgroups: [p.c],
  });
}
