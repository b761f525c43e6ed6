// Descriptor of shaders/biasGradFinalize.wgsl: adds biasGrad's chunk partials into dbias
// (overwrite, or accumulate into an existing gradient).

import code from '../../../shaders/biasGradFinalize.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { COMBINE_WG, withChunkCombine } from './channelReduce';

export const biasGradFinalizeKernel = defineKernel({
  name: 'biasGradFinalize',
  code: withChunkCombine(code),
  constants: { WG: COMBINE_WG },
});

export function biasGradFinalize(
  sink: KernelSink,
  partials: BufferRef,
  dbias: BufferRef,
  p: { c: number; chunks: number; accumulate: boolean },
): void {
  sink.dispatch({
    kernel: biasGradFinalizeKernel,
    buffers: { partials, dbias },
    uniforms: { n: p.c, chunks: p.chunks, accumulate: p.accumulate ? 1 : 0 },
    workgroups: [p.c],
  });
}
