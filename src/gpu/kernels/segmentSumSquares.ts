// Descriptor of shaders/segmentSumSquares.wgsl: out[s] = sum of x^2 over segment s of a
// flat buffer; `segments` is a u32 buffer of (offset, length) pairs in elements.

import code from '../../../shaders/segmentSumSquares.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withRowReduce } from './common';

export const segmentSumSquaresKernel = defineKernel({
  name: 'segmentSumSquares',
  code: withRowReduce(code),
  constants: { WG: 256 },
});

export function segmentSumSquares(sink: KernelSink, x: BufferRef, segments: BufferRef, out: BufferRef, count: number): void {
  sink.dispatch({
    kernel: segmentSumSquaresKernel,
    buffers: { x, segs: segments, out },
    uniforms: { n: count },
    workgroups: grid1d(count, 1),
  });
}
