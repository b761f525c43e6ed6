// Descriptor of shaders/conv2dForwardDirect.wgsl: y = conv2d(x, w), NCHW float32, no bias,
// each invocation a 4-channel x 4-pixel register block, no workgroup memory. The tiled
// implicit GEMM is conv2dForward.ts; which one runs is conv2dForward's `variant`.

import code from '../../../shaders/conv2dForwardDirect.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util/shape';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv } from './common';
import { DIRECT_WG, directGrid } from './convVariant';

export const conv2dForwardDirectKernel = defineKernel({ name: 'conv2dForwardDirect', code, constants: { WG: DIRECT_WG } });

export function conv2dForwardDirect(sink: KernelSink, x: BufferRef, w: BufferRef, y: BufferRef, shape: Conv2dShape): void {
  const { ho, wo } = conv2dOutShape(shape);
  const cob = ceilDiv(shape.cout, 4);
  const pxb = ceilDiv(wo, 4);
  const total = shape.n * cob * ho * pxb;
  sink.dispatch({
    kernel: conv2dForwardDirectKernel,
    buffers: { x, wt: w, y },
    flops: 2 * shape.n * shape.cout * ho * wo * shape.cin * shape.kh * shape.kw,
    uniforms: {
      batch: shape.n,
      cin: shape.cin,
      h: shape.h,
      w: shape.w,
      cout: shape.cout,
      kh: shape.kh,
      kw: shape.kw,
      stride: shape.stride,
      pad: shape.pad,
      ho,
      wo,
      cob,
      pxb,
      total,
    },
    workgroups: directGrid(total),
  });
}
