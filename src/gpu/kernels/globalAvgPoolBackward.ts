// Descriptor of shaders/globalAvgPoolBackward.wgsl: dy [n, c] -> dx [n, c, h, w], each
// plane filled with dy/(h*w) (dx is overwritten).

import code from '../../../shaders/globalAvgPoolBackward.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, withCommon } from './common';

export const globalAvgPoolBackwardKernel: KernelSpec = {
  name: 'globalAvgPoolBackward',
  code: withCommon(code),
  storage: ['read', 'read_write'],
  uniforms: [['total', 'u32'], ['hw', 'u32']],
};

export function globalAvgPoolBackward(sink: KernelSink, dy: BufferRef, dx: BufferRef, p: { n: number; c: number; h: number; w: number }): void {
  checkDims('globalAvgPoolBackward', p);
  const total = p.n * p.c * p.h * p.w;
  sink.dispatch({ kernel: globalAvgPoolBackwardKernel, buffers: [dy, dx], uniforms: { total, hw: p.h * p.w }, workgroups: grid1d(total) });
}
