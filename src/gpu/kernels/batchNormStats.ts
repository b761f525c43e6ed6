// Descriptor of shaders/batchNormStats.wgsl: per-(chunk, channel) (count, mean, M2)
// summaries of x, pass 1 of the batch statistics (batchNormStatsFinalize is pass 2).

import code from '../../../shaders/batchNormStats.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { CHUNK_WG, withChunkPass, type ChunkPlan } from './channelReduce';

export const batchNormStatsKernel = defineKernel({
  name: 'batchNormStats',
  code: withChunkPass(code),
  constants: { WG: CHUNK_WG },
});

/** `partials` holds c*chunks*3 floats. */
export function batchNormStats(sink: KernelSink, x: BufferRef, partials: BufferRef, p: { c: number; hw: number; plan: ChunkPlan }): void {
  const { m, chunkLen, chunks } = p.plan;
  sink.dispatch({
    kernel: batchNormStatsKernel,
    buffers: { x, partials },
    uniforms: { c: p.c, hw: p.hw, m, chunkLen, chunks },
    workgroups: [chunks, p.c],
  });
}
