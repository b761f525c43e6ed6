// Descriptor of shaders/conv2dBackwardInput.wgsl: dx = conv2d's gradient w.r.t. its input,
// NCHW float32, as an implicit GEMM (M = cin, N = the pixels of one stride phase, K = cout x
// that phase's taps), one dispatch per phase (stride^2 of them, 1 at stride 1), overwriting
// dx or adding to it; or the direct kernel per phase (conv2dBackwardInputDirect) when the
// variant says so. Not the filter gradient (conv2dBackwardFilter).

import code from '../../../shaders/conv2dBackwardInput.wgsl?raw';
import type { Conv2dShape } from '../../util';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import type { TunableOp } from '../tuner';
import { conv2dBackwardInputDirectPhase, phaseUniforms } from './conv2dBackwardInputDirect';
import { convUniforms, withConv } from './convCommon';
import { convBytes, convOp, pickConvVariant, variantTileM, type ConvVariant } from './convVariant';
import { GEMM_TK, GEMM_TN, gemmGrid, withGemmTile } from './implicitGemm';

/** One axis of a stride phase r: taps r, r+s, ... below k; dx pixels i0, i0+s, ... below
 * size, where i0 is the first pixel with (i + pad) mod s == r. */
export function phaseAxis(r: number, s: number, k: number, pad: number, size: number): { taps: number; first: number; count: number } {
  const first = (((r - pad) % s) + s) % s;
  return { taps: r < k ? Math.ceil((k - r) / s) : 0, first, count: first < size ? Math.ceil((size - first) / s) : 0 };
}

function spec(tm: number): KernelSpec {
  return defineKernel({
    name: `conv2dBackwardInput(TM=${tm})`,
    code: withConv(withGemmTile(code)),
    constants: { TM: tm, TN: GEMM_TN, TK: GEMM_TK },
  });
}

/** One pipeline per row-tile height (see gemmTileM); every shape shares them. */
export const conv2dBackwardInputKernels = { 16: spec(16), 32: spec(32), 64: spec(64) } as const;

/** conv2dBackwardInput at `shape` as the tuner times it (buffers dy, w, dx). */
export function conv2dBackwardInputOp(shape: Conv2dShape): TunableOp {
  const b = convBytes(shape);
  return convOp('conv2dBackwardInput', shape, shape.cin, [b.y, b.w, b.x], (k, [dy, w, dx], variant) =>
    conv2dBackwardInput(k, dy, w, dx, shape, { variant }),
  );
}

export interface Conv2dBackwardInputOptions {
  /** Add into dx (gradient accumulation) instead of overwriting it. */
  accumulate?: boolean;
  /** Which kernel runs (default: the GEMM with the row tile sized to cin). */
  variant?: ConvVariant;
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
  const M = shape.cin;
  const tm = variantTileM(pickConvVariant(sink, () => conv2dBackwardInputOp(shape), opts.variant));
  const s = shape.stride;
  for (let ry = 0; ry < s; ry++) {
    for (let rx = 0; rx < s; rx++) {
      const y = phaseAxis(ry, s, shape.kh, shape.pad, shape.h);
      const x = phaseAxis(rx, s, shape.kw, shape.pad, shape.w);
      if (y.count === 0 || x.count === 0) continue; // no dx pixel has this phase
      // A phase without taps (e.g. 1x1 at stride 2) still runs with K = 0: it writes zeros.
      if (opts.accumulate && (y.taps === 0 || x.taps === 0)) continue;
      if (tm === undefined) {
        conv2dBackwardInputDirectPhase(sink, dy, w, dx, shape, { r: ry, ...y }, { r: rx, ...x }, opts.accumulate ?? false);
        continue;
      }
      const N = shape.n * y.count * x.count;
      const kernel = conv2dBackwardInputKernels[tm];
      sink.dispatch({
        kernel,
        buffers: { dy, wt: w, dx },
        flops: 2 * M * N * shape.cout * y.taps * x.taps,
        uniforms: convUniforms(kernel, shape, {
          M,
          N,
          K: shape.cout * y.taps * x.taps,
          accumulate: opts.accumulate ? 1 : 0,
          ...phaseUniforms(shape, { r: ry, ...y }, { r: rx, ...x }),
        }),
        workgroups: gemmGrid(M, N, tm),
      });
    }
  }
}
