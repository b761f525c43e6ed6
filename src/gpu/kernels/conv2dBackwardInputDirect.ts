// Descriptor of shaders/conv2dBackwardInputDirect.wgsl: dx (+)= conv2d's input gradient,
// NCHW float32, one dispatch per stride phase (see phaseAxis), each invocation a 4-channel x
// 4-pixel register block with no workgroup memory. The tiled implicit GEMM is
// conv2dBackwardInput.ts; which one runs is conv2dBackwardInput's `variant`.

import code from '../../../shaders/conv2dBackwardInputDirect.wgsl?raw';
import type { Conv2dShape } from '../../util';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withPerIndex } from './common';
import { convUniforms, withConv } from './convCommon';
import { DIRECT_WG, directGrid } from './convVariant';

export const conv2dBackwardInputDirectKernel = defineKernel({
  name: 'conv2dBackwardInputDirect',
  code: withConv(withPerIndex(code)),
  constants: { WG: DIRECT_WG },
});

/** One stride phase along one axis (from phaseAxis) and its residue r. */
export interface PhaseAxis {
  r: number;
  taps: number;
  first: number;
  count: number;
}

/** The uniforms that place one stride phase (shaders/common/conv.wgsl). */
export function phaseUniforms(shape: Conv2dShape, py: PhaseAxis, px: PhaseAxis): Record<string, number> {
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

/** Records the dispatch of one phase (ry along y, rx along x). */
export function conv2dBackwardInputDirectPhase(
  sink: KernelSink,
  dy: BufferRef,
  w: BufferRef,
  dx: BufferRef,
  shape: Conv2dShape,
  py: PhaseAxis,
  px: PhaseAxis,
  accumulate: boolean,
): void {
  const chb = ceilDiv(shape.cin, 4);
  const pxb = ceilDiv(px.count, 4);
  const n = shape.n * chb * py.count * pxb;
  sink.dispatch({
    kernel: conv2dBackwardInputDirectKernel,
    buffers: { dy, wt: w, dx },
    flops: 2 * shape.n * shape.cin * py.count * px.count * shape.cout * py.taps * px.taps,
    uniforms: convUniforms(conv2dBackwardInputDirectKernel, shape, {
      accumulate: accumulate ? 1 : 0,
      ...phaseUniforms(shape, py, px),
      chb,
      pxb,
      n,
    }),
    workgroups: directGrid(n),
  });
}
