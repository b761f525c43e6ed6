// Descriptor of shaders/conv2dBackwardFilterDirect.wgsl: dw (+)= conv2d's filter gradient,
// NCHW float32, each invocation 4 output channels x its input channels x its tap rows over
// one chunk of whole output rows (split-K, summed by splitKReduce), no workgroup memory. The
// entry point is generated per geometry (conv2dBackwardFilterDirectGen.ts), one kernel each,
// memoized. The tiled GEMM is conv2dBackwardFilter.ts; which one runs is
// conv2dBackwardFilter's `variant`.

import code from '../../../shaders/conv2dBackwardFilterDirect.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { definedKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withCommon } from './common';
import { filterGradMain, geometryTag, type FilterGradGeometry } from './conv2dBackwardFilterDirectGen';
import { convUniforms, withConvFilterGrad } from './convCommon';
import { DIRECT_WG, directGrid } from './convVariant';
import { splitKReduce } from './splitKReduce';
import type { SplitKCollector } from './splitKReduceSegments';

/** The kernel of geometry g (one spec per geometry). */
export function filterGradDirectKernel(g: FilterGradGeometry): KernelSpec {
  return definedKernel({
    name: `conv2dBackwardFilterDirect(${geometryTag(g)})`,
    code: withConvFilterGrad(withCommon(`${code}\n${filterGradMain(g)}`)),
    constants: { WG: DIRECT_WG },
  });
}

/** The kernels of the ResNet geometries (3x3 stride 1 and 2, 1x1 stride 2; see
 * filterGradGeometry), generated at load; the others on first use. */
export const conv2dBackwardFilterDirectKernels = {
  k3s1: filterGradDirectKernel({ kw: 3, stride: 1, px: 8, ci: 1, ky: 3 }),
  k3s2: filterGradDirectKernel({ kw: 3, stride: 2, px: 4, ci: 1, ky: 3 }),
  k1s2: filterGradDirectKernel({ kw: 1, stride: 2, px: 4, ci: 4, ky: 1 }),
} as const;

/** Most accumulators (vec4 of 4 output channels) per invocation: taps past it go to
 * further tap-row blocks. SwiftShader's compile time grows steeply with the unrolled body
 * (5x5 taps in one invocation: ~15 s; 3x3: ~1 s). */
const MAX_TAPS = 9;

/** The geometry a shape runs with. */
export function filterGradGeometry(shape: Conv2dShape): FilterGradGeometry {
  const { wo } = conv2dOutShape(shape);
  const ky = shape.kh * shape.kw <= MAX_TAPS ? shape.kh : Math.max(1, Math.floor(MAX_TAPS / shape.kw));
  const pointwise = shape.kh * shape.kw === 1;
  const px = !pointwise && shape.stride === 1 && wo >= 8 ? 8 : 4;
  return { kw: shape.kw, stride: shape.stride, px, ci: pointwise ? 4 : 1, ky };
}

/** Enough invocations to fill a large GPU; chunks still long enough that writing a partial
 * block costs little beside summing it. */
const TARGET_THREADS = 16384;
const MIN_CHUNK_PIXELS = 256;
const MAX_SPLITS = 128;
const MAX_PARTIAL_BYTES = 64 * 1024 * 1024;

/** Chunks of whole output rows (of `rows`, each `width` pixels) for `threads` invocations
 * writing m x n partials: { splits, chunk } with no empty chunk. */
export function directSplitPlan(
  m: number,
  n: number,
  rows: number,
  width: number,
  threads: number,
  requested?: number,
): { splits: number; chunk: number } {
  const auto = Math.max(
    1,
    Math.min(
      ceilDiv(TARGET_THREADS, threads),
      Math.floor((rows * width) / MIN_CHUNK_PIXELS),
      Math.floor(MAX_PARTIAL_BYTES / (4 * m * n)),
      MAX_SPLITS,
    ),
  );
  const wanted = requested ?? auto;
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new RangeError(`conv2dBackwardFilterDirect: splits must be a positive integer, got ${wanted}`);
  const chunk = Math.max(1, ceilDiv(rows, wanted));
  return { splits: Math.max(1, ceilDiv(rows, chunk)), chunk };
}

/** The dispatch plan of a shape: geometry, kernel, invocations and split. */
export function filterGradDirectPlan(shape: Conv2dShape, splits?: number) {
  const { ho, wo } = conv2dOutShape(shape);
  const g = filterGradGeometry(shape);
  const m = shape.cout;
  const n = shape.cin * shape.kh * shape.kw;
  const cib = ceilDiv(shape.cin, g.ci);
  const kyb = ceilDiv(shape.kh, g.ky);
  const threads = ceilDiv(m, 4) * kyb * cib;
  const plan = directSplitPlan(m, n, shape.n * ho, wo, threads, splits);
  return { g, m, n, cib, kyb, threads, rows: shape.n * ho, ...plan };
}

export function conv2dBackwardFilterDirect(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef,
  dw: BufferRef,
  shape: Conv2dShape,
  opts: { accumulate?: boolean; splits?: number; splitK?: SplitKCollector } = {},
): void {
  const { ho, wo } = conv2dOutShape(shape);
  const { g, m, n, cib, kyb, threads, rows, splits, chunk } = filterGradDirectPlan(shape, opts.splits);
  const accumulate = opts.accumulate ?? false;
  const kernel = filterGradDirectKernel(g);
  const bytes = 4 * splits * m * n;
  const target = splits === 1 ? dw : (opts.splitK?.partials(bytes) ?? sink.scratch(bytes, 'conv2dBackwardFilterDirect:partials'));
  const [gx, gy] = directGrid(threads);
  sink.dispatch({
    kernel,
    buffers: { x, dy, out: target },
    flops: 2 * m * n * shape.n * ho * wo,
    uniforms: convUniforms(kernel, shape, {
      M: m,
      N: n,
      K: rows,
      chunk,
      accumulate: splits === 1 && accumulate ? 1 : 0,
      cib,
      kyb,
      n: threads,
    }),
    workgroups: [gx, gy, splits],
  });
  if (splits > 1 && opts.splitK) opts.splitK.reduce(target, dw, m * n, splits, accumulate);
  else if (splits > 1) splitKReduce(sink, target, dw, m * n, splits, accumulate);
}
