// The kernel variants each convolution (forward, input gradient, filter gradient) can run
// as: the tiled implicit GEMM at a row-tile height, or the barrier-free direct kernel. The
// descriptors take one as an option; the tuner (src/gpu/tuner.ts) picks per adapter + shape.

import { conv2dOutShape, type Conv2dShape } from '../../util';
import type { KernelSink } from '../recorder';
import { pickVariant, type TunableOp } from '../tuner';
import { grid1d } from './common';
import { gemmTileM } from './implicitGemm';

export const CONV_VARIANTS = ['gemm16', 'gemm32', 'gemm64', 'direct'] as const;
export type ConvVariant = (typeof CONV_VARIANTS)[number];

/** Row-tile height of a GEMM variant; undefined for the direct kernel. */
export function variantTileM(v: ConvVariant): 16 | 32 | 64 | undefined {
  return v === 'direct' ? undefined : (Number(v.slice(4)) as 16 | 32 | 64);
}

/** The fixed default (tuning off): the GEMM with the row tile sized to the M axis. */
export function defaultConvVariant(m: number): ConvVariant {
  return `gemm${gemmTileM(m)}`;
}

/** Candidates worth timing for an M axis of m rows: GEMM tiles no taller than the default
 * (a taller one only multiplies zero rows) and the direct kernel. */
export function convVariants(m: number): ConvVariant[] {
  const tall = gemmTileM(m);
  return CONV_VARIANTS.filter((v) => (variantTileM(v) ?? 0) <= tall);
}

/** Invocations per workgroup of the direct kernels (their WGSL `WG`). */
export const DIRECT_WG = 64;

/** Workgroups for `threads` invocations of a direct kernel, folded into y past the limit. */
export function directGrid(threads: number): [number, number] {
  return grid1d(threads, DIRECT_WG);
}

export type ConvKind = 'conv2dForward' | 'conv2dBackwardInput' | 'conv2dBackwardFilter';

/** A convolution call as the tuner times it: its M axis (rows of the GEMM) sets the
 * candidates; `record` runs it on buffers of the given byte sizes with a variant. */
export function convOp(
  kind: ConvKind,
  shape: Conv2dShape,
  m: number,
  buffers: readonly number[],
  record: (sink: KernelSink, bufs: GPUBuffer[], variant: ConvVariant) => void,
): TunableOp {
  const s = shape;
  return {
    kind,
    shape: `n${s.n} ${s.cin}->${s.cout} ${s.h}x${s.w} k${s.kh}x${s.kw} s${s.stride} p${s.pad}`,
    variants: convVariants(m),
    default: defaultConvVariant(m),
    softwareDefault: 'direct',
    buffers,
    record: (sink, bufs, v) => record(sink, bufs, v as ConvVariant),
  };
}

/** Byte sizes of a convolution's x, w and y. */
export function convBytes(s: Conv2dShape): { x: number; w: number; y: number } {
  const { ho, wo } = conv2dOutShape(s);
  return { x: 4 * s.n * s.cin * s.h * s.w, w: 4 * s.cout * s.cin * s.kh * s.kw, y: 4 * s.n * s.cout * ho * wo };
}

/** The variant a conv descriptor runs: forced, else its sink's tuner's pick, else the default. */
export function pickConvVariant(sink: KernelSink, op: () => TunableOp, forced?: ConvVariant): ConvVariant {
  return pickVariant(sink, op, forced) as ConvVariant;
}
