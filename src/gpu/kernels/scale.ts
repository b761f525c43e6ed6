// Descriptor of shaders/scale.wgsl: out = a*x.

import code from '../../../shaders/scale.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const scaleKernel: KernelSpec = {
  name: 'scale',
  code: withCommon(code),
  storage: ['read', 'read_write'],
  uniforms: [['n', 'u32'], ['a', 'f32']],
};

export function scale(sink: KernelSink, a: number, x: BufferRef, out: BufferRef, n: number): void {
  sink.dispatch({ kernel: scaleKernel, buffers: [x, out], uniforms: { n, a }, workgroups: grid1d(n) });
}
