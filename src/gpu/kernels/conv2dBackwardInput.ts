// Descriptor of shaders/conv2dBackwardInput.wgsl: dx = conv2d's gradient w.r.t. its input,
// NCHW float32, as an implicit GEMM (M = cin, N = the pixels of one stride phase, K = cout x
// that phase's taps), one dispatch per phase (stride^2 of them, 1 at stride 1), overwriting
// dx or adding to it; or the direct kernel (conv2dBackwardInputDirect, one dispatch without
// phases) when the variant says so. Not the filter gradient (conv2dBackwardFilter).

import code from '../../../shaders/conv2dBackwardInput.wgsl?raw';
import type { Conv2dShape } from '../../util';
import type { BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import type { TunableOp } from '../tuner';
import type { PrecomputedStats } from './batchNorm';
import { ceilDiv } from './common';
import { conv2dBackwardInputDirect, conv2dBackwardInputDirectMain, directInputGradChunks } from './conv2dBackwardInputDirect';
import { convUniforms, withConv } from './convCommon';
import { gradEpilogue, plainGradKernel, type GradBnStats, type GradMain } from './convGradEpilogue';
import type { FusedExpr } from './fusedExpr';
import { convBytes, convOp, pickConvVariant, variantTileM, type ConvVariant } from './convVariant';
import { GEMM_TK, GEMM_TN, gemmGrid, withGemmTile } from './implicitGemm';

/** One axis of a stride phase r: taps r, r+s, ... below k; dx pixels i0, i0+s, ... below
 * size, where i0 is the first pixel with (i + pad) mod s == r. */
export function phaseAxis(r: number, s: number, k: number, pad: number, size: number): { taps: number; first: number; count: number } {
  const first = (((r - pad) % s) + s) % s;
  return { taps: r < k ? Math.ceil((k - r) / s) : 0, first, count: first < size ? Math.ceil((size - first) / s) : 0 };
}

/** One stride phase along one axis (from phaseAxis) and its residue r. */
interface PhaseAxis {
  r: number;
  taps: number;
  first: number;
  count: number;
}

/** The uniforms that place one stride phase (shaders/common/conv.wgsl). */
function phaseUniforms(shape: Conv2dShape, py: PhaseAxis, px: PhaseAxis): Record<string, number> {
  const s = shape.stride;
  return {
    ry: py.r,
    rx: px.r,
    nky: py.taps,
    nkx: px.taps,
    iy0: py.first,
    ix0: px.first,
    hp: py.count,
    wp: px.count,
    oyBase: (py.first + shape.pad - py.r) / s,
    oxBase: (px.first + shape.pad - px.r) / s,
  };
}

/** The main shader per row-tile height (see gemmTileM); its epilogue comes from
 * convGradEpilogue.ts. Every shape shares them. */
function gemmMain(tm: 16 | 32 | 64): GradMain {
  return { name: `conv2dBackwardInput(TM=${tm})`, code: withConv(withGemmTile(code)), constants: { TM: tm, TN: GEMM_TN, TK: GEMM_TK } };
}

/** The plain kernels (dx only), one pipeline per row-tile height. */
export const conv2dBackwardInputKernels = {
  16: plainGradKernel(gemmMain(16)),
  32: plainGradKernel(gemmMain(32)),
  64: plainGradKernel(gemmMain(64)),
} as const;

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
  /** dx is read by a train-mode BatchNorm's backward: the epilogue also writes that
   * BatchNorm's per-channel partial sums (returned), so it needs no reduction pass. */
  bnStats?: GradBnStats;
  /** Other gradient terms the epilogue adds into dx (an element-wise expression of dx's
   * shape that does not read dx). */
  terms?: FusedExpr;
}

/** dy [n, cout, ho, wo], w [cout, cin, kh, kw] -> dx [n, cin, h, w]. With `bnStats`,
 * returns the partial sums (sum dy, sum dy*xhat per channel and chunk) the epilogue wrote
 * for batchNormBackwardFinalize. */
export function conv2dBackwardInput(
  sink: KernelSink,
  dy: BufferRef,
  w: BufferRef,
  dx: BufferRef,
  shape: Conv2dShape,
  opts: Conv2dBackwardInputOptions = {},
): PrecomputedStats | undefined {
  const M = shape.cin;
  const tm = variantTileM(pickConvVariant(sink, () => conv2dBackwardInputOp(shape), opts.variant));
  const accumulate = opts.accumulate ?? false;
  const partialsFor = (chunks: number) => (opts.bnStats ? sink.scratch(Math.max(1, M * chunks * 2) * 4, 'conv:bnGradPartials') : undefined);
  const epilogueOf = (main: GradMain, partials: BufferRef | undefined) =>
    gradEpilogue(main, dx, { terms: opts.terms, stats: opts.bnStats, partials });
  if (tm === undefined) {
    const chunks = directInputGradChunks(shape);
    const partials = partialsFor(chunks);
    const epi = epilogueOf(conv2dBackwardInputDirectMain(shape), partials);
    conv2dBackwardInputDirect(sink, dy, w, dx, shape, accumulate, { ...epi, chunks });
    return partials ? { partials, chunks } : undefined;
  }
  const s = shape.stride;
  const phases: { y: PhaseAxis; x: PhaseAxis; chunks: number }[] = [];
  for (let ry = 0; ry < s; ry++) {
    for (let rx = 0; rx < s; rx++) {
      const y = { r: ry, ...phaseAxis(ry, s, shape.kh, shape.pad, shape.h) };
      const x = { r: rx, ...phaseAxis(rx, s, shape.kw, shape.pad, shape.w) };
      if (y.count === 0 || x.count === 0) continue; // no dx pixel has this phase
      // A phase without taps (e.g. 1x1 at stride 2) still runs with K = 0: it writes zeros,
      // and with an epilogue its terms and its pixels' sums.
      if (accumulate && (y.taps === 0 || x.taps === 0) && !opts.bnStats && !opts.terms) continue;
      const N = shape.n * y.count * x.count;
      phases.push({ y, x, chunks: ceilDiv(N, GEMM_TN) * (GEMM_TN / 4) });
    }
  }
  const chunks = phases.reduce((a, p) => a + p.chunks, 0);
  const partials = partialsFor(chunks);
  const epi = epilogueOf(gemmMain(tm), partials);
  let chunkBase = 0;
  for (const { y, x, chunks: phaseChunks } of phases) {
    const base = chunkBase;
    chunkBase += phaseChunks;
    const N = shape.n * y.count * x.count;
    sink.dispatch({
      kernel: epi.kernel,
      buffers: { dy, wt: w, dx, ...epi.buffers },
      flops: 2 * M * N * shape.cout * y.taps * x.taps,
      uniforms: convUniforms(epi.kernel, shape, {
        M,
        N,
        K: shape.cout * y.taps * x.taps,
        accumulate: accumulate ? 1 : 0,
        ...phaseUniforms(shape, y, x),
        chunks,
        chunkBase: base,
      }),
      workgroups: gemmGrid(M, N, tm),
    });
  }
  return partials ? { partials, chunks } : undefined;
}
