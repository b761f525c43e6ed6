// Descriptor of shaders/reluBackward.wgsl: dx = dy where x > 0.

import code from '../../../shaders/reluBackward.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const reluBackwardKernel: KernelSpec = {
  name: 'reluBackward',
  code: withCommon(code),
  storage: ['read', 'read', 'read_write'],
  uniforms: [['n', 'u32']],
};

/** `x` is the forward input (or output: both are > 0 in the same places). */
export function reluBackward(sink: KernelSink, x: BufferRef, dy: BufferRef, dx: BufferRef, n: number): void {
  sink.dispatch({ kernel: reluBackwardKernel, buffers: [x, dy, dx], uniforms: { n }, workgroups: grid1d(n) });
}
