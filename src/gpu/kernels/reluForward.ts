// Descriptor of shaders/reluForward.wgsl: y = max(x, 0).

import code from '../../../shaders/reluForward.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const reluForwardKernel: KernelSpec = {
  name: 'reluForward',
  code: withCommon(code),
  storage: ['read', 'read_write'],
  uniforms: [['n', 'u32']],
};

export function reluForward(sink: KernelSink, x: BufferRef, y: BufferRef, n: number): void {
  sink.dispatch({ kernel: reluForwardKernel, buffers: [x, y], uniforms: { n }, workgroups: grid1d(n) });
}
