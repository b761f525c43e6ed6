// Descriptor of shaders/axpby.wgsl: out = a*x + b*y.

import code from '../../../shaders/axpby.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const axpbyKernel: KernelSpec = {
  name: 'axpby',
  code: withCommon(code),
  storage: ['read', 'read', 'read_write'],
  uniforms: [['n', 'u32'], ['a', 'f32'], ['b', 'f32']],
};

export function axpby(sink: KernelSink, a: number, x: BufferRef, b: number, y: BufferRef, out: BufferRef, n: number): void {
  sink.dispatch({ kernel: axpbyKernel, buffers: [x, y, out], uniforms: { n, a, b }, workgroups: grid1d(n) });
}

export function add(sink: KernelSink, x: BufferRef, y: BufferRef, out: BufferRef, n: number): void {
  axpby(sink, 1, x, 1, y, out, n);
}
