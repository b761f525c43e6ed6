// Descriptor of shaders/biasAdd.wgsl: y[n, c, s] = x[n, c, s] + bias[c]; hw = 1 for a
// linear layer's [n, c] output.

import code from '../../../shaders/biasAdd.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, withCommon } from './common';

export const biasAddKernel: KernelSpec = {
  name: 'biasAdd',
  code: withCommon(code),
  storage: ['read', 'read', 'read_write'],
  uniforms: [['total', 'u32'], ['c', 'u32'], ['hw', 'u32']],
};

export function biasAdd(sink: KernelSink, x: BufferRef, bias: BufferRef, y: BufferRef, p: { n: number; c: number; hw: number }): void {
  checkDims('biasAdd', p);
  const total = p.n * p.c * p.hw;
  sink.dispatch({ kernel: biasAddKernel, buffers: [x, bias, y], uniforms: { total, c: p.c, hw: p.hw }, workgroups: grid1d(total) });
}
