// The kernel variants each convolution (forward, input gradient, filter gradient) can run
// as: the tiled implicit GEMM at a row-tile height, or the barrier-free direct kernel. The
// descriptors take one as an option; the tuner (src/gpu/tuner.ts) picks per adapter + shape.

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
