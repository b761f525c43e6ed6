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

/** The backward's per-channel sums and what they finalize into: `partials` holds
 * c*chunks*2 floats of (sum dy, sum dy*xhat) over m values per channel; `fwd` is the
 * forward's record [c] vec4 (mean, gamma*invStd, beta, invStd); dgamma / dbeta are
 * written, or added to when `accumulate`. */
export interface GradSums {
  partials: BufferRef;
  chunks: number;
  m: number;
  fwd: BufferRef;
  dgamma: BufferRef;
  dbeta: BufferRef;
  accumulate: boolean;
}

/** What the record's WGSL (common/bnGradRecord.wgsl) binds: its buffers and uniforms. */
export function gradRecordBindings(g: GradSums) {
  const { partials, fwd, dgamma, dbeta } = g;
  return { buffers: { partials, fwd, dgamma, dbeta }, uniforms: { chunks: g.chunks, m: g.m, accGamma: g.accumulate ? 1 : 0 } };
}

/** Finalizes the sums of `c` channels alone: dgamma / dbeta, and `coef` receives c*4
 * floats, (A, B, K, mean) per channel, for batchNormBackwardData. */
export function batchNormBackwardFinalize(sink: KernelSink, g: GradSums, c: number, coef: BufferRef): void {
  const { buffers, uniforms } = gradRecordBindings(g);
  sink.dispatch({
    kernel: batchNormBackwardFinalizeKernel,
    buffers: { ...buffers, coef },
    uniforms: { ...uniforms, n: c },
    workgroups: [c],
  });
}
