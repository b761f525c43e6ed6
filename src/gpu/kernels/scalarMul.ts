// Descriptor of shaders/scalarMul.wgsl: y = a*x with `a` a learnable 1-element f32 buffer
// (residual-branch scale), forward and backward. The gradient of `a` is a deterministic
// two-pass dot product from reduce.ts.

import code from '../../../shaders/scalarMul.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';
import { reduceDot } from './reduce';

export const scalarMulKernel: KernelSpec = {
  name: 'scalarMul',
  code: withCommon(code),
  storage: ['read', 'read', 'read_write'],
  uniforms: [['n', 'u32'], ['accumulate', 'u32']],
};

function mul(sink: KernelSink, a: BufferRef, x: BufferRef, out: BufferRef, n: number, accumulate: boolean): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`scalarMul: invalid length ${n}`);
  sink.dispatch({ kernel: scalarMulKernel, buffers: [a, x, out], uniforms: { n, accumulate: accumulate ? 1 : 0 }, workgroups: grid1d(n) });
}

/** y = a[0] * x over n elements (y must not alias x). */
export function scalarMulForward(sink: KernelSink, a: BufferRef, x: BufferRef, y: BufferRef, n: number): void {
  mul(sink, a, x, y, n, false);
}

export interface ScalarMulBackwardOptions {
  /** dx += a*dy instead of dx = a*dy. */
  accumulateDx?: boolean;
  /** da += sum(x*dy) instead of da = sum(x*dy). */
  accumulateDa?: boolean;
}

/** dx (+)= a[0] * dy and da[0] (+)= sum_i x_i * dy_i, both over n elements. */
export function scalarMulBackward(
  sink: KernelSink,
  a: BufferRef,
  x: BufferRef,
  dy: BufferRef,
  dx: BufferRef,
  da: BufferRef,
  n: number,
  opts: ScalarMulBackwardOptions = {},
): void {
  mul(sink, a, dy, dx, n, opts.accumulateDx ?? false);
  reduceDot(sink, x, dy, da, n, { accumulate: opts.accumulateDa ?? false });
}
