// Descriptor of shaders/batchNormStatsFinalize.wgsl: merges the chunk summaries into the
// record (mean, gamma*invStd, beta, invStd) and updates the running mean / var in place
// (what common/bnStatsRecord.wgsl keeps per channel).

import record from '../../../shaders/common/bnStatsRecord.wgsl?raw';
import code from '../../../shaders/batchNormStatsFinalize.wgsl?raw';
import { defineKernel } from '../kernel';
import type { KernelSink } from '../recorder';
import { COMBINE_WG, withChunkCombine } from './channelReduce';
import type { PendingStats } from './fusedExpr';

export const batchNormStatsFinalizeKernel = defineKernel({
  name: 'batchNormStatsFinalize',
  code: withChunkCombine(`${record}\n${code}`),
  constants: { WG: COMBINE_WG },
});

/** Finalizes pending statistics alone: the record and the running stats of `st`. */
export function batchNormStatsFinalize(sink: KernelSink, st: PendingStats): void {
  const { partials, runningMean, runningVar, gamma, beta, coef } = st;
  sink.dispatch({
    kernel: batchNormStatsFinalizeKernel,
    buffers: { partials, runningMean, runningVar, gamma, beta, coef },
    uniforms: { n: st.c, chunks: st.chunks, m: st.m, eps: st.eps, momentum: st.momentum },
    workgroups: [st.c],
  });
}
