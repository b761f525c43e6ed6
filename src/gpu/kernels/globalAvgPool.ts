// Global average pooling over NCHW: forward (shaders/globalAvgPoolForward.wgsl, x [n, c,
// h, w] -> y [n, c], the mean of each spatial plane) and backward (the element-wise
// globalAvgPoolBackward, each plane filled with dy / (h*w)).

import code from '../../../shaders/globalAvgPoolForward.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, withRowReduce } from './common';
import { elementwise } from './elementwise';

/** Threads per row: a typical final feature map is 8x8 = 64 values. */
export const POOL_WG = 64;

export const globalAvgPoolForwardKernel = defineKernel({
  name: 'globalAvgPoolForward',
  code: withRowReduce(code),
  constants: { WG: POOL_WG },
});

export interface PoolShape {
  n: number;
  c: number;
  h: number;
  w: number;
}

export function globalAvgPoolForward(sink: KernelSink, x: BufferRef, y: BufferRef, p: PoolShape): void {
  checkDims('globalAvgPoolForward', { ...p });
  const rows = p.n * p.c;
  sink.dispatch({
    kernel: globalAvgPoolForwardKernel,
    buffers: { x, y },
    uniforms: { n: rows, hw: p.h * p.w },
    workgroups: grid1d(rows, 1),
  });
}

/** dx (+)= dy / (h*w) broadcast over each plane. */
export function globalAvgPoolBackward(sink: KernelSink, dy: BufferRef, dx: BufferRef, p: PoolShape, accumulate = false): void {
  checkDims('globalAvgPoolBackward', { ...p });
  elementwise(sink, 'globalAvgPoolBackward', { dy, out: dx }, p.n * p.c * p.h * p.w, { hw: p.h * p.w, accumulate });
}
