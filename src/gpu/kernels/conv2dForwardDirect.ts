// Descriptor of shaders/conv2dForwardDirect.wgsl: y = conv2d(x, w), NCHW float32, no bias,
// each invocation a 4-channel x 4-pixel register block, no workgroup memory. The tiled
// implicit GEMM is conv2dForward.ts; which one runs is conv2dForward's `variant`. With
// `stats`, the epilogue also writes BatchNorm's per-channel partial statistics of y.

import code from '../../../shaders/conv2dForwardDirect.wgsl?raw';
import store from '../../../shaders/common/convStore.wgsl?raw';
import storeStats from '../../../shaders/common/convStoreStats.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withPerIndex } from './common';
import { convUniforms, withConv } from './convCommon';
import { DIRECT_WG, directGrid } from './convVariant';

export const conv2dForwardDirectKernel = defineKernel({
  name: 'conv2dForwardDirect',
  code: withConv(withPerIndex(`${code}\n${store}`)),
  constants: { WG: DIRECT_WG },
});

export const conv2dForwardDirectStatsKernel = defineKernel({
  name: 'conv2dForwardDirect+bnStats',
  code: withConv(withPerIndex(`${code}\n${storeStats}`)),
  constants: { WG: DIRECT_WG },
});

/** Chunks of the partial statistics the stats epilogue writes per channel (one per
 * block of 4 output pixels of a row). */
export function directStatsChunks(shape: Conv2dShape): number {
  const { ho, wo } = conv2dOutShape(shape);
  return shape.n * ho * ceilDiv(wo, 4);
}

/** `stats`: also write (count, mean, M2) of each channel's blocks into it, c*chunks*3
 * floats with chunks = directStatsChunks(shape) (batchNormStatsFinalize's layout). */
export function conv2dForwardDirect(
  sink: KernelSink,
  x: BufferRef,
  w: BufferRef,
  y: BufferRef,
  shape: Conv2dShape,
  stats?: BufferRef,
): void {
  const { ho, wo } = conv2dOutShape(shape);
  const chb = ceilDiv(shape.cout, 4);
  const pxb = ceilDiv(wo, 4);
  const n = shape.n * chb * ho * pxb;
  const kernel = stats ? conv2dForwardDirectStatsKernel : conv2dForwardDirectKernel;
  sink.dispatch({
    kernel,
    buffers: stats ? { x, wt: w, y, partials: stats } : { x, wt: w, y },
    flops: 2 * shape.n * shape.cout * ho * wo * shape.cin * shape.kh * shape.kw,
    uniforms: convUniforms(kernel, shape, { chb, pxb, n }),
    workgroups: directGrid(n),
  });
}
