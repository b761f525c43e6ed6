// Descriptor of shaders/batchNormStatsFinalize.wgsl: merges the chunk summaries into the
// saved mean / invStd and the apply coefficients, and updates the running mean / var in place
// (what common/bnStatsRecord.wgsl keeps per channel).

import record from '../../../shaders/common/bnStatsRecord.wgsl?raw';
import code from '../../../shaders/batchNormStatsFinalize.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { COMBINE_WG, withChunkCombine } from './channelReduce';

export const batchNormStatsFinalizeKernel = defineKernel({
  name: 'batchNormStatsFinalize',
  code: withChunkCombine(`${record}\n${code}`),
  constants: { WG: COMBINE_WG },
});

export function batchNormStatsFinalize(
  sink: KernelSink,
  partials: BufferRef,
  savedMean: BufferRef,
  savedInvStd: BufferRef,
  runningMean: BufferRef,
  runningVar: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  coef: BufferRef,
  p: { c: number; chunks: number; m: number; eps: number; momentum: number },
): void {
  sink.dispatch({
    kernel: batchNormStatsFinalizeKernel,
    buffers: { partials, savedMean, savedInvStd, runningMean, runningVar, gamma, beta, coef },
    uniforms: { n: p.c, chunks: p.chunks, m: p.m, eps: p.eps, momentum: p.momentum },
    workgroups: [p.c],
  });
}
