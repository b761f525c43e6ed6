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

/** What the record's WGSL (common/bnStatsRecord.wgsl) binds, from the pending statistics:
 * its buffers and its uniforms (the kernels that include it add their own). */
export function statsRecordBindings(st: PendingStats) {
  const { partials, runningMean, runningVar, gamma, beta, coef } = st;
  return {
    buffers: { partials, runningMean, runningVar, gamma, beta, coef },
    uniforms: { chunks: st.chunks, m: st.m, eps: st.eps, momentum: st.momentum },
  };
}

/** Finalizes pending statistics alone: the record and the running stats of `st`. */
export function batchNormStatsFinalize(sink: KernelSink, st: PendingStats): void {
  const { buffers, uniforms } = statsRecordBindings(st);
  sink.dispatch({ kernel: batchNormStatsFinalizeKernel, buffers, uniforms: { ...uniforms, n: st.c }, workgroups: [st.c] });
}
