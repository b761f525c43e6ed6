// Descriptor of shaders/conv2dBackwardInputDirect.wgsl: dx (+)= conv2d's input gradient,
// NCHW float32, one dispatch per stride phase (see phaseAxis), each invocation a register
// block of 4 channels x 8 (or 4) pixels with no workgroup memory. The tiled implicit GEMM is
// conv2dBackwardInput.ts; which one runs is conv2dBackwardInput's `variant`.

import code from '../../../shaders/conv2dBackwardInputDirect.wgsl?raw';
import type { Conv2dShape } from '../../util';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withPerIndex } from './common';
import { convUniforms, withConv } from './convCommon';
import type { GradMain } from './convGradEpilogue';
import { rowTapsPx, rowTapsWgsl, type RowTaps } from './convRowTaps';
import { DIRECT_WG, directGrid } from './convVariant';

const mains = new Map<string, GradMain>();

/** A phase's row step: taps one dY value apart (backwards), weights `stride` apart. */
function phaseTaps(taps: number, stride: number): RowTaps {
  return { taps, tapStep: -1, pxStep: 1, wStep: stride };
}

/** The main shader for a phase with `taps` taps along x at `stride` (rowTaps is generated
 * for them); its epilogue comes from convGradEpilogue.ts. */
export function conv2dBackwardInputDirectMain(taps: number, stride: number): GradMain {
  const key = `${taps} ${stride}`;
  let main = mains.get(key);
  if (!main) {
    const row = rowTapsWgsl(phaseTaps(taps, stride));
    main = {
      name: `conv2dBackwardInputDirect(k${taps} s${stride})`,
      code: withConv(withPerIndex(`${code}\n${row}`)),
      constants: { WG: DIRECT_WG },
    };
    mains.set(key, main);
  }
  return main;
}

/** One stride phase along one axis (from phaseAxis) and its residue r. */
export interface PhaseAxis {
  r: number;
  taps: number;
  first: number;
  count: number;
}

/** Partial-sum chunks per channel of one phase: one per 4-pixel block of a phase row. */
export function directPhaseChunks(n: number, py: PhaseAxis, px: PhaseAxis): number {
  return n * py.count * ceilDiv(px.count, 4);
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

/** Records the dispatch of one phase (ry along y, rx along x), with the kernel, extra
 * buffers and chunk numbering of its epilogue (convGradEpilogue.ts). */
export function conv2dBackwardInputDirectPhase(
  sink: KernelSink,
  dy: BufferRef,
  w: BufferRef,
  dx: BufferRef,
  shape: Conv2dShape,
  py: PhaseAxis,
  px: PhaseAxis,
  accumulate: boolean,
  epi: { kernel: KernelSpec; buffers: Record<string, BufferRef>; chunks: number; chunkBase: number },
): void {
  const chb = ceilDiv(shape.cin, 4);
  const pxb = ceilDiv(px.count, rowTapsPx(phaseTaps(px.taps, shape.stride)));
  const n = shape.n * chb * py.count * pxb;
  sink.dispatch({
    kernel: epi.kernel,
    // A phase without taps along x never reads dy or w (its kernel does not bind them).
    buffers: { ...(px.taps > 0 ? { dy, wt: w } : {}), dx, ...epi.buffers },
    flops: 2 * shape.n * shape.cin * py.count * px.count * shape.cout * py.taps * px.taps,
    uniforms: convUniforms(epi.kernel, shape, {
      accumulate: accumulate ? 1 : 0,
      ...phaseUniforms(shape, py, px),
      chb,
      pxb,
      n,
      chunks: epi.chunks,
      chunkBase: epi.chunkBase,
    }),
    workgroups: directGrid(n),
  });
}
