// Descriptor of shaders/scalarAdd.wgsl: y = x + b[0] (b a 1-element buffer). Its
// gradient is dx = dy and db = sum(dy) (reduceSum), composed by the engine.

import code from '../../../shaders/scalarAdd.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const scalarAddKernel: KernelSpec = {
  name: 'scalarAdd',
  code: withCommon(code),
  storage: ['read', 'read', 'read_write'],
  uniforms: [['n', 'u32']],
};

export function scalarAdd(sink: KernelSink, b: BufferRef, x: BufferRef, y: BufferRef, n: number): void {
  sink.dispatch({ kernel: scalarAddKernel, buffers: [b, x, y], uniforms: { n }, workgroups: grid1d(n) });
}
