// Descriptor of shaders/batchNormBackwardReduce.wgsl: per-(chunk, channel) sums of dy and
// dy*xhat, pass 1 of the batch-norm backward.

import code from '../../../shaders/batchNormBackwardReduce.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { REDUCE_WG, withChunkPass, type ChunkPlan } from './channelReduce';

export const batchNormBackwardReduceKernel = defineKernel({
  name: 'batchNormBackwardReduce',
  code: withChunkPass(code),
  constants: { WG: REDUCE_WG },
});

/** `partials` holds c*chunks*2 floats. */
export function batchNormBackwardReduce(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef,
  mean: BufferRef,
  invStd: BufferRef,
  partials: BufferRef,
  p: { c: number; hw: number; plan: ChunkPlan },
): void {
  const { m, chunkLen, chunks } = p.plan;
  sink.dispatch({
    kernel: batchNormBackwardReduceKernel,
    buffers: { x, dy, mean, invStd, partials },
    uniforms: { c: p.c, hw: p.hw, m, chunkLen, chunks },
    workgroups: [chunks, p.c],
  });
}
