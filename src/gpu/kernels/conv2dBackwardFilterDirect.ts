// Descriptor of shaders/conv2dBackwardFilterDirect.wgsl: dw (+)= conv2d's filter gradient,
// NCHW float32, each invocation a 4-row x 4-column register block over one chunk of the
// pixels (split-K, summed by splitKReduce), no workgroup memory. The tiled GEMM is
// conv2dBackwardFilter.ts; which one runs is conv2dBackwardFilter's `variant`.

import code from '../../../shaders/conv2dBackwardFilterDirect.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withCommon } from './common';
import { convUniforms, withConvFilterGrad } from './convCommon';
import { DIRECT_WG, directGrid } from './convVariant';
import { splitKReduce } from './splitKReduce';

export const conv2dBackwardFilterDirectKernel = defineKernel({
  name: 'conv2dBackwardFilterDirect',
  code: withConvFilterGrad(withCommon(code)),
  constants: { WG: DIRECT_WG },
});

/** Enough invocations to fill a large GPU; chunks still long enough that writing a partial
 * block costs little beside summing it. */
const TARGET_THREADS = 16384;
const MIN_CHUNK = 256;
const MAX_SPLITS = 128;
const MAX_PARTIAL_BYTES = 64 * 1024 * 1024;

/** Pixel chunks for m x n outputs over k pixels: { splits, chunk } with no empty chunk. */
export function directSplitPlan(m: number, n: number, k: number, requested?: number): { splits: number; chunk: number } {
  const blocks = ceilDiv(m, 4) * ceilDiv(n, 4);
  const auto = Math.max(
    1,
    Math.min(ceilDiv(TARGET_THREADS, blocks), Math.floor(k / MIN_CHUNK), Math.floor(MAX_PARTIAL_BYTES / (4 * m * n)), MAX_SPLITS),
  );
  const wanted = requested ?? auto;
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new RangeError(`conv2dBackwardFilterDirect: splits must be a positive integer, got ${wanted}`);
  const chunk = Math.max(1, ceilDiv(k, wanted));
  return { splits: Math.max(1, ceilDiv(k, chunk)), chunk };
}

export function conv2dBackwardFilterDirect(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef,
  dw: BufferRef,
  shape: Conv2dShape,
  opts: { accumulate?: boolean; splits?: number } = {},
): void {
  const { ho, wo } = conv2dOutShape(shape);
  const m = shape.cout;
  const n = shape.cin * shape.kh * shape.kw;
  const k = shape.n * ho * wo;
  const { splits, chunk } = directSplitPlan(m, n, k, opts.splits);
  const accumulate = opts.accumulate ?? false;
  const pxb = ceilDiv(n, 4);
  const total = ceilDiv(m, 4) * pxb;
  const target = splits === 1 ? dw : sink.scratch(4 * splits * m * n, 'conv2dBackwardFilterDirect:partials');
  const [gx, gy] = directGrid(total);
  sink.dispatch({
    kernel: conv2dBackwardFilterDirectKernel,
    buffers: { x, dy, out: target },
    flops: 2 * m * n * k,
    uniforms: convUniforms(conv2dBackwardFilterDirectKernel, shape, {
      M: m,
      N: n,
      K: k,
      chunk,
      accumulate: splits === 1 && accumulate ? 1 : 0,
      pxb,
      n: total,
    }),
    workgroups: [gx, gy, splits],
  });
  if (splits > 1) splitKReduce(sink, target, dw, m * n, splits, accumulate);
}
