// Descriptor of shaders/conv2dBackwardFilter.wgsl: dw (+)= conv2d filter gradient (NCHW),
// an implicit GEMM split over its long K = n*ho*wo axis into partials that splitKReduce
// sums; or the direct kernel (conv2dBackwardFilterDirect) when the variant says so. Not the
// input gradient (see conv2d) and not a per-weight loop over the batch.

import code from '../../../shaders/conv2dBackwardFilter.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import type { TunableOp } from '../tuner';
import { ceilDiv } from './common';
import { conv2dBackwardFilterDirect } from './conv2dBackwardFilterDirect';
import { convUniforms, withConvFilterGrad } from './convCommon';
import { convBytes, convOp, pickConvVariant, variantTileM, type ConvVariant } from './convVariant';
import { gemmTileM } from './implicitGemm';
import { splitKReduce } from './splitKReduce';
import type { SplitKCollector } from './splitKReduceSegments';

/** Columns (cin*kh*kw) per tile and K-slice depth; the WGSL `TN` / `TK` overrides. A tile of
 * 32 columns fits the N of 3x3 convolutions (9 * cin) with little padding. */
const TN = 32;
const TK = 16;

export type FilterTileM = 16 | 32 | 64;

/** Rows (output channels) per tile, as for the forward GEMM: cout = 16 layers would leave
 * half of a 32-row tile multiplying zero rows. */
export function filterTileM(m: number): FilterTileM {
  return gemmTileM(m);
}

/** Enough workgroups to fill a large GPU several times over. */
const TARGET_WORKGROUPS = 512;
/** Each split must still run many K tiles, or writing its partial tile costs more than it saves. */
const MIN_CHUNK = 256;
const MAX_SPLITS = 128;
const MAX_PARTIAL_BYTES = 64 * 1024 * 1024;

/** The WGSL `RM`: 4x4 register blocks (as in the forward GEMM) for TM = 16 and 32; TM = 64
 * takes 8 rows per invocation, keeping the workgroup at 64 invocations and feeding each
 * vec4 read from workgroup memory into 8 FMAs. The WGSL needs TK | (TN/4) * (TM/RM). */
function rowsPerInvocation(tm: FilterTileM): number {
  return tm === 64 ? 8 : 4;
}

function spec(tm: FilterTileM): KernelSpec {
  return defineKernel({
    name: `conv2dBackwardFilter(TM=${tm})`,
    code: withConvFilterGrad(code),
    constants: { TM: tm, TN, TK, RM: rowsPerInvocation(tm) },
  });
}

/** One pipeline per row-tile height (see filterTileM); every shape shares them. */
export const conv2dBackwardFilterKernels = { 16: spec(16), 32: spec(32), 64: spec(64) } as const;

/** GEMM sizes of the filter gradient: M = cout, N = cin*kh*kw, K = n*ho*wo. */
export function filterGemmDims(shape: Conv2dShape): { m: number; n: number; k: number } {
  const { ho, wo } = conv2dOutShape(shape);
  return { m: shape.cout, n: shape.cin * shape.kh * shape.kw, k: shape.n * ho * wo };
}

/** How many K chunks to split into so the dispatch has enough workgroups (1 = no split). */
export function chooseSplits(shape: Conv2dShape): number {
  const { m, n, k } = filterGemmDims(shape);
  const tiles = ceilDiv(m, filterTileM(m)) * ceilDiv(n, TN);
  const wanted = ceilDiv(TARGET_WORKGROUPS, tiles);
  const byK = Math.floor(k / MIN_CHUNK);
  const byMemory = Math.floor(MAX_PARTIAL_BYTES / (4 * m * n));
  return Math.max(1, Math.min(wanted, byK, byMemory, MAX_SPLITS));
}

/** Chunks start on K-tile boundaries, so the effective split count can be below the
 * requested one (never empty chunks); `splits` is what is actually dispatched. */
export function splitPlan(k: number, requested: number): { splits: number; chunk: number } {
  if (!Number.isInteger(requested) || requested < 1)
    throw new RangeError(`conv2dBackwardFilter: splits must be a positive integer, got ${requested}`);
  if (k === 0) return { splits: 1, chunk: TK };
  const chunk = ceilDiv(ceilDiv(k, requested), TK) * TK;
  return { splits: ceilDiv(k, chunk), chunk };
}

/** conv2dBackwardFilter at `shape` as the tuner times it (buffers x, dy, dw). */
export function conv2dBackwardFilterOp(shape: Conv2dShape): TunableOp {
  const b = convBytes(shape);
  return convOp('conv2dBackwardFilter', shape, shape.cout, [b.x, b.y, b.w], (k, [x, dy, dw], variant) =>
    conv2dBackwardFilter(k, x, dy, dw, shape, { variant }),
  );
}

export interface Conv2dBackwardFilterOptions {
  /** dw += gradient instead of dw = gradient (the engine accumulates parameter gradients). */
  accumulate?: boolean;
  /** Force the split count (tests, benchmarks); default chooseSplits(shape). */
  splits?: number;
  /** Force the row-tile height (tests, benchmarks); default filterTileM(cout). */
  tileM?: FilterTileM;
  /** Which kernel runs; a GEMM variant sets the row tile (default: filterTileM(cout)). */
  variant?: ConvVariant;
  /** Hands the split-K reduction to a collector (batched with others) instead of a
   * splitKReduce dispatch of its own. */
  splitK?: SplitKCollector;
}

export function conv2dBackwardFilter(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef,
  dw: BufferRef,
  shape: Conv2dShape,
  opts: Conv2dBackwardFilterOptions = {},
): void {
  const variant = pickConvVariant(
    sink,
    () => conv2dBackwardFilterOp(shape),
    opts.variant ?? (opts.tileM ? `gemm${opts.tileM}` : undefined),
  );
  if (variant === 'direct') return conv2dBackwardFilterDirect(sink, x, dy, dw, shape, opts);
  const { m, n, k } = filterGemmDims(shape);
  const { splits, chunk } = splitPlan(k, opts.splits ?? chooseSplits(shape));
  const accumulate = opts.accumulate ?? false;
  const tm = variantTileM(variant)!;
  const length = m * n;
  // One chunk needs no second pass: the GEMM writes (or adds into) dw itself.
  const bytes = 4 * splits * length;
  const target = splits === 1 ? dw : (opts.splitK?.partials(bytes) ?? sink.scratch(bytes, 'conv2dBackwardFilter:partials'));
  const kernel = conv2dBackwardFilterKernels[tm];
  sink.dispatch({
    kernel,
    buffers: { x, dy, out: target },
    flops: 2 * m * n * k,
    uniforms: convUniforms(kernel, shape, { M: m, N: n, K: k, chunk, accumulate: splits === 1 && accumulate ? 1 : 0 }),
    workgroups: [ceilDiv(n, TN), ceilDiv(m, tm), splits],
  });
  if (splits > 1 && opts.splitK) opts.splitK.reduce(target, dw, length, splits, accumulate);
  else if (splits > 1) splitKReduce(sink, target, dw, length, splits, accumulate);
}
