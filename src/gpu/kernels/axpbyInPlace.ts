// Descriptor of shaders/axpbyInPlace.wgsl: y = a*x + b*y in place.

import code from '../../../shaders/axpbyInPlace.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const axpbyInPlaceKernel: KernelSpec = {
  name: 'axpbyInPlace',
  code: withCommon(code),
  storage: ['read', 'read_write'],
  uniforms: [['n', 'u32'], ['a', 'f32'], ['b', 'f32']],
};

export function axpbyInPlace(sink: KernelSink, a: number, x: BufferRef, b: number, y: BufferRef, n: number): void {
  sink.dispatch({ kernel: axpbyInPlaceKernel, buffers: [x, y], uniforms: { n, a, b }, workgroups: grid1d(n) });
}

/** y += x (gradient accumulation). */
export function accumulate(sink: KernelSink, x: BufferRef, y: BufferRef, n: number): void {
  axpbyInPlace(sink, 1, x, 1, y, n);
}
