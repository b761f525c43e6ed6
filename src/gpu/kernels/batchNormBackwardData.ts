// Descriptor of shaders/batchNormBackwardData.wgsl: dx from dy, x and the per-channel
// coefficients of batchNormBackwardFinalize.

import code from '../../../shaders/batchNormBackwardData.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const batchNormBackwardDataKernel: KernelSpec = {
  name: 'batchNormBackwardData',
  code: withCommon(code),
  storage: ['read', 'read', 'read', 'read_write'],
  uniforms: [['total', 'u32'], ['c', 'u32'], ['hw', 'u32']],
};

export function batchNormBackwardData(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef,
  coef: BufferRef,
  dx: BufferRef,
  p: { n: number; c: number; hw: number },
): void {
  const total = p.n * p.c * p.hw;
  sink.dispatch({ kernel: batchNormBackwardDataKernel, buffers: [x, dy, coef, dx], uniforms: { total, c: p.c, hw: p.hw }, workgroups: grid1d(total) });
}
