// Descriptor of shaders/biasGrad.wgsl: dbias[c] (+)= sum over n and s of dy[n, c, s], as a
// chunked per-channel reduction followed by biasGradFinalize.

import code from '../../../shaders/biasGrad.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { biasGradFinalize } from './biasGradFinalize';
import { checkChannels, checkDims, planChunks, CHUNK_WG, withChunkPass } from './channelReduce';

export const biasGradKernel = defineKernel({
  name: 'biasGrad',
  code: withChunkPass(code),
  constants: { WG: CHUNK_WG },
});

export function biasGrad(
  sink: KernelSink,
  dy: BufferRef,
  dbias: BufferRef,
  p: { n: number; c: number; hw: number; accumulate?: boolean },
): void {
  checkDims('biasGrad', { n: p.n, hw: p.hw });
  checkChannels(p.c, 'biasGrad');
  const plan = planChunks(p.n * p.hw);
  const partials = sink.scratch(p.c * plan.chunks * 4, 'biasGrad:partials');
  sink.dispatch({
    kernel: biasGradKernel,
    buffers: { dy, partials },
    uniforms: { c: p.c, hw: p.hw, m: plan.m, chunkLen: plan.chunkLen, chunks: plan.chunks },
    workgroups: [plan.chunks, p.c],
  });
  biasGradFinalize(sink, partials, dbias, { c: p.c, chunks: plan.chunks, accumulate: p.accumulate ?? false });
}
