// The backward of y = a*x with `a` a learnable 1-element f32 buffer (residual-branch
// scale): dx from the element-wise scalarMul, da as a deterministic two-pass dot product
// (reduce.ts). The forward is elementwise 'scalarMul'.

import type { BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { elementwise } from './elementwise';
import { reduceDot } from './reduce';

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
  elementwise(sink, 'scalarMul', { scalar: a, x: dy, out: dx }, n, { accumulate: opts.accumulateDx });
  reduceDot(sink, x, dy, da, n, { accumulate: opts.accumulateDa ?? false });
}
