// Max pooling over NCHW planes: forward (shaders/maxPoolForward.wgsl) writes the maxima and
// the plane-local index of each window's first maximum; backward (shaders/maxPoolBackward.wgsl)
// routes dy back to those indices, overwriting dx or adding to it. Float32 values, u32 indices.

import forwardCode from '../../../shaders/maxPoolForward.wgsl?raw';
import backwardCode from '../../../shaders/maxPoolBackward.wgsl?raw';
import { maxPoolOutShape, maxPoolProblem, type MaxPoolShape } from '../../util';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, WG_1D, withPerIndex } from './common';

export const maxPoolForwardKernel = defineKernel({ name: 'maxPoolForward', code: withPerIndex(forwardCode), constants: { WG: WG_1D } });
export const maxPoolBackwardKernel = defineKernel({ name: 'maxPoolBackward', code: withPerIndex(backwardCode), constants: { WG: WG_1D } });

function uniforms(who: string, s: MaxPoolShape) {
  checkDims(who, { n: s.n, c: s.c, h: s.h, w: s.w });
  const problem = maxPoolProblem(s.k, s.stride, s.pad);
  if (problem) throw new RangeError(`${who}: ${problem}`);
  const { ho, wo } = maxPoolOutShape(s);
  return { h: s.h, w: s.w, ho, wo, k: s.k, stride: s.stride, pad: s.pad };
}

/** x [n, c, h, w] -> y [n, c, ho, wo] and argmax (u32, one per element of y). */
export function maxPoolForward(sink: KernelSink, x: BufferRef, y: BufferRef, argmax: BufferRef, s: MaxPoolShape): void {
  const u = uniforms('maxPoolForward', s);
  const n = s.n * s.c * u.ho * u.wo;
  sink.dispatch({ kernel: maxPoolForwardKernel, buffers: { x, y, argmax }, uniforms: { ...u, n }, workgroups: grid1d(n) });
}

/** dx [n, c, h, w] (+)= dy routed through the forward's argmax. */
export function maxPoolBackward(
  sink: KernelSink,
  dy: BufferRef,
  argmax: BufferRef,
  dx: BufferRef,
  s: MaxPoolShape,
  accumulate = false,
): void {
  const u = uniforms('maxPoolBackward', s);
  const n = s.n * s.c * s.h * s.w;
  sink.dispatch({
    kernel: maxPoolBackwardKernel,
    buffers: { dy, argmax, dx },
    uniforms: { ...u, n, accumulate: accumulate ? 1 : 0 },
    workgroups: grid1d(n),
  });
}
