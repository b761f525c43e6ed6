// Descriptor of shaders/conv2dBackwardInputDirect.wgsl: dx (+)= conv2d's input gradient,
// NCHW float32, one dispatch at any stride (no stride phases), each invocation a register
// block of 4 channels x 8 (or more, a multiple of the stride) pixels with no workgroup memory. The tiled implicit GEMM is
// conv2dBackwardInput.ts; which one runs is conv2dBackwardInput's `variant`.

import code from '../../../shaders/conv2dBackwardInputDirect.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withPerIndex } from './common';
import { convUniforms, withConv } from './convCommon';
import type { GradMain } from './convGradEpilogue';
import { inputGradRowTaps, rowTapsWgsl } from './convRowTaps';
import { DIRECT_WG, directGrid } from './convVariant';

/** The main shader for `shape`'s kernel width, stride and padding (rowTaps is generated for
 * them); its epilogue comes from convGradEpilogue.ts. */
export function conv2dBackwardInputDirectMain(shape: Pick<Conv2dShape, 'kw' | 'stride' | 'pad'>): GradMain {
  const row = rowTapsWgsl(inputGradRowTaps(shape.kw, shape.stride, shape.pad));
  return {
    name: `conv2dBackwardInputDirect(k${shape.kw} s${shape.stride} p${shape.pad})`,
    code: withConv(withPerIndex(`${code}\n${row}`)),
    constants: { WG: DIRECT_WG },
  };
}

/** Partial-sum chunks per channel the BatchNorm-sums epilogue writes: one per 4 pixels of
 * a dX row. */
export function directInputGradChunks(shape: Conv2dShape): number {
  return shape.n * shape.h * ceilDiv(shape.w, 4);
}

/** Records the one dispatch, with the kernel, extra buffers and chunk count of its epilogue
 * (convGradEpilogue.ts). */
export function conv2dBackwardInputDirect(
  sink: KernelSink,
  dy: BufferRef,
  w: BufferRef,
  dx: BufferRef,
  shape: Conv2dShape,
  accumulate: boolean,
  epi: { kernel: KernelSpec; buffers: Record<string, BufferRef>; chunks: number },
): void {
  const { ho, wo } = conv2dOutShape(shape);
  const chb = ceilDiv(shape.cin, 4);
  const pxb = ceilDiv(shape.w, inputGradRowTaps(shape.kw, shape.stride, shape.pad).px);
  const n = shape.n * chb * shape.h * pxb;
  sink.dispatch({
    kernel: epi.kernel,
    buffers: { dy, wt: w, dx, ...epi.buffers },
    flops: 2 * shape.n * shape.cout * ho * wo * shape.cin * shape.kh * shape.kw,
    uniforms: convUniforms(epi.kernel, shape, { accumulate: accumulate ? 1 : 0, chb, pxb, n, chunks: epi.chunks, chunkBase: 0 }),
    workgroups: directGrid(n),
  });
}
