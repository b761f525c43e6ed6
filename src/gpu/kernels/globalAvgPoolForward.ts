// Descriptor of shaders/globalAvgPoolForward.wgsl: x [n, c, h, w] -> y [n, c], the mean
// over each spatial plane.

import code from '../../../shaders/globalAvgPoolForward.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, withCommon } from './common';

/** Threads per row: a typical final feature map is 8x8 = 64 values. */
export const POOL_WG = 64;

export const globalAvgPoolForwardKernel: KernelSpec = {
  name: 'globalAvgPoolForward',
  code: withCommon(code),
  constants: { WG: POOL_WG },
  storage: ['read', 'read_write'],
  uniforms: [['rows', 'u32'], ['hw', 'u32']],
};

export function globalAvgPoolForward(sink: KernelSink, x: BufferRef, y: BufferRef, p: { n: number; c: number; h: number; w: number }): void {
  checkDims('globalAvgPoolForward', p);
  const rows = p.n * p.c;
  sink.dispatch({ kernel: globalAvgPoolForwardKernel, buffers: [x, y], uniforms: { rows, hw: p.h * p.w }, workgroups: grid1d(rows, 1) });
}
