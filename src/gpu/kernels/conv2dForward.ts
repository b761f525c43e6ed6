// Descriptor of shaders/conv2dForward.wgsl: y = conv2d(x, w), NCHW float32, no bias,
// as an implicit GEMM (M = cout, N = n*ho*wo, K = cin*kh*kw), or as the direct kernel
// (conv2dForwardDirect) when the variant says so. Not the backward passes.

import code from '../../../shaders/conv2dForward.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import type { TunableOp } from '../tuner';
import type { PrecomputedStats } from './batchNorm';
import { conv2dForwardDirect, directStatsChunks } from './conv2dForwardDirect';
import { convUniforms, withConv } from './convCommon';
import { convBytes, convOp, pickConvVariant, variantTileM, type ConvVariant } from './convVariant';
import { GEMM_TK, GEMM_TN, gemmGrid, withGemmTile } from './implicitGemm';

function spec(tm: number): KernelSpec {
  return defineKernel({
    name: `conv2dForward(TM=${tm})`,
    code: withConv(withGemmTile(code)),
    constants: { TM: tm, TN: GEMM_TN, TK: GEMM_TK },
  });
}

/** One pipeline per row-tile height (see gemmTileM); every shape shares them. */
export const conv2dForwardKernels = { 16: spec(16), 32: spec(32), 64: spec(64) } as const;

/** conv2dForward at `shape` as the tuner times it (buffers x, w, y). */
export function conv2dForwardOp(shape: Conv2dShape): TunableOp {
  const b = convBytes(shape);
  return convOp('conv2dForward', shape, shape.cout, [b.x, b.w, b.y], (k, [x, w, y], variant) =>
    conv2dForward(k, x, w, y, shape, { variant }),
  );
}

export interface Conv2dForwardOptions {
  /** Which kernel runs (default: the GEMM with the row tile sized to cout). */
  variant?: ConvVariant;
  /** A train-mode BatchNorm reads y: where the variant can, its epilogue also writes the
   * per-channel partial statistics (the returned PrecomputedStats). */
  bnStats?: boolean;
}

/** x [n, cin, h, w], w [cout, cin, kh, kw] -> y [n, cout, ho, wo] (overwritten). Returns
 * y's BatchNorm partial statistics when `bnStats` asked and the chosen variant (the direct
 * kernel) writes them; else undefined, and the BatchNorm reduces y itself. */
export function conv2dForward(
  sink: KernelSink,
  x: BufferRef,
  w: BufferRef,
  y: BufferRef,
  shape: Conv2dShape,
  opts: Conv2dForwardOptions = {},
): PrecomputedStats | undefined {
  const tm = variantTileM(pickConvVariant(sink, () => conv2dForwardOp(shape), opts.variant));
  if (tm === undefined) {
    if (!opts.bnStats) {
      conv2dForwardDirect(sink, x, w, y, shape);
      return undefined;
    }
    const chunks = directStatsChunks(shape);
    const partials = sink.scratch(shape.cout * chunks * 3 * 4, 'conv:bnStatsPartials');
    conv2dForwardDirect(sink, x, w, y, shape, partials);
    return { partials, chunks };
  }
  const { ho, wo } = conv2dOutShape(shape);
  const M = shape.cout;
  const N = shape.n * ho * wo;
  const K = shape.cin * shape.kh * shape.kw;
  const kernel = conv2dForwardKernels[tm];
  sink.dispatch({
    kernel,
    buffers: { x, wt: w, y },
    flops: 2 * M * N * K,
    uniforms: convUniforms(kernel, shape, { M, N, K }),
    workgroups: gemmGrid(M, N, tm),
  });
  return undefined;
}
