// Descriptor of shaders/conv2dForwardDirect.wgsl: y = conv2d(x, w), NCHW float32, no bias,
// each invocation a register block of 4 channels x 8 (or 4) pixels, no workgroup memory. The tiled
// implicit GEMM is conv2dForward.ts; which one runs is conv2dForward's `variant`. With
// `stats`, the epilogue also writes BatchNorm's per-channel partial statistics of y.

import code from '../../../shaders/conv2dForwardDirect.wgsl?raw';
import store from '../../../shaders/common/convStore.wgsl?raw';
import storeStats from '../../../shaders/common/convStoreStats.wgsl?raw';
import blockStats from '../../../shaders/common/blockStats.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import { definedKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withPerIndex } from './common';
import { convUniforms, withConvInputRow } from './convCommon';
import { DIRECT_WG, directGrid } from './convVariant';
import { forwardRowTaps, rowTapsWgsl } from './convRowTaps';

/** The kernel for `shape`'s kw and stride (rowTaps is generated for them), with or without
 * the statistics epilogue; one per geometry, shared by every shape that has it. */
export function conv2dForwardDirectKernel(shape: Pick<Conv2dShape, 'kw' | 'stride'>, stats: boolean): KernelSpec {
  const taps = rowTapsWgsl(forwardRowTaps(shape.kw, shape.stride));
  const epilogue = stats ? `${storeStats}\n${blockStats}` : store;
  return definedKernel({
    name: `conv2dForwardDirect(k${shape.kw} s${shape.stride})${stats ? '+bnStats' : ''}`,
    code: withConvInputRow(withPerIndex(`${code}\n${taps}\n${epilogue}`)),
    constants: { WG: DIRECT_WG },
  });
}

/** Chunks of the partial statistics the stats epilogue writes per channel (one per
 * group of 4 output pixels of a row). */
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
  const pxb = ceilDiv(wo, forwardRowTaps(shape.kw, shape.stride).px);
  const n = shape.n * chb * ho * pxb;
  const kernel = conv2dForwardDirectKernel(shape, stats !== undefined);
  sink.dispatch({
    kernel,
    buffers: stats ? { x, wt: w, y, partials: stats } : { x, wt: w, y },
    flops: 2 * shape.n * shape.cout * ho * wo * shape.cin * shape.kh * shape.kw,
    uniforms: convUniforms(kernel, shape, { chb, pxb, n }),
    workgroups: directGrid(n),
  });
}
