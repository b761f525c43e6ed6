// Descriptor of shaders/conv2dBackwardInput.wgsl: dx = conv2d's gradient w.r.t. its input,
// NCHW float32, as an implicit GEMM (M = cin, N = n*h*w, K = cout*kh*kw), overwriting dx or
// adding to it. Not the filter gradient (conv2dBackwardFilter).

import code from '../../../shaders/conv2dBackwardInput.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util/shape';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { GEMM_TK, GEMM_TN, gemmGrid, gemmTileM } from './implicitGemm';

const uniforms = [
  ['batch', 'u32'], ['cin', 'u32'], ['h', 'u32'], ['w', 'u32'],
  ['cout', 'u32'], ['kh', 'u32'], ['kw', 'u32'], ['stride', 'u32'],
  ['pad', 'u32'], ['ho', 'u32'], ['wo', 'u32'], ['M', 'u32'],
  ['N', 'u32'], ['K', 'u32'], ['accumulate', 'u32'],
] as const;

function spec(tm: number): KernelSpec {
  return {
    name: `conv2dBackwardInput(TM=${tm})`,
    code,
    constants: { TM: tm, TN: GEMM_TN, TK: GEMM_TK },
    storage: ['read', 'read', 'read_write'],
    uniforms,
  };
}

/** One pipeline per row-tile height (see gemmTileM); every shape shares them. */
export const conv2dBackwardInputKernels = { 16: spec(16), 32: spec(32), 64: spec(64) } as const;

export interface Conv2dBackwardInputOptions {
  /** Add into dx (gradient accumulation) instead of overwriting it. */
  accumulate?: boolean;
}

/** dy [n, cout, ho, wo], w [cout, cin, kh, kw] -> dx [n, cin, h, w]. */
export function conv2dBackwardInput(
  sink: KernelSink,
  dy: BufferRef,
  w: BufferRef,
  dx: BufferRef,
  shape: Conv2dShape,
  opts: Conv2dBackwardInputOptions = {},
): void {
  const { ho, wo } = conv2dOutShape(shape);
  const M = shape.cin;
  const N = shape.n * shape.h * shape.w;
  const K = shape.cout * shape.kh * shape.kw;
  const tm = gemmTileM(M);
  sink.dispatch({
    kernel: conv2dBackwardInputKernels[tm],
    buffers: [dy, w, dx],
    uniforms: {
      batch: shape.n, cin: shape.cin, h: shape.h, w: shape.w,
      cout: shape.cout, kh: shape.kh, kw: shape.kw, stride: shape.stride,
      pad: shape.pad, ho, wo, M, N, K, accumulate: opts.accumulate ? 1 : 0,
    },
    workgroups: gemmGrid(M, N, tm),
  });
}
