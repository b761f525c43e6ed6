// Tile choice, workgroup grid and the shared WGSL tile code (shaders/common/
// implicitGemmTile.wgsl) of the implicit-GEMM convolution descriptors (conv2dForward,
// conv2dBackwardInput).

import tileWgsl from '../../../shaders/common/implicitGemmTile.wgsl?raw';

/** A kernel's WGSL with the shared tile declarations and multiply prepended. */
export function withGemmTile(code: string): string {
  return `${tileWgsl}\n${code}`;
}

/** Columns (output pixels) per workgroup tile; the WGSL `TN` override. */
export const GEMM_TN = 64;
/** Reduction slice staged in workgroup memory per step; the WGSL `TK` override. */
export const GEMM_TK = 16;
const MAX_DIM = 65535;

/**
 * Rows (channels) per workgroup tile; the WGSL `TM` override. Narrow layers (16 or 32
 * channels, common in CIFAR ResNets) would leave most of a 64-row tile idle, so the tile
 * shrinks with M. Must be a multiple of 16: the shaders rely on the thread count
 * (TM/4 * TN/4) being a multiple of TN so that each invocation gathers one fixed column.
 */
export function gemmTileM(m: number): 16 | 32 | 64 {
  return m > 32 ? 64 : m > 16 ? 32 : 16;
}

/** Workgroups: x (and z past 65535) over column tiles, y over row tiles. */
export function gemmGrid(m: number, n: number, tm: number, tn = GEMM_TN, maxPerDim = MAX_DIM): [number, number, number] {
  const tilesN = Math.ceil(n / tn);
  const tilesM = Math.ceil(m / tm);
  if (tilesM > maxPerDim) throw new RangeError(`implicit GEMM: ${tilesM} row tiles exceed ${maxPerDim}`);
  const z = Math.ceil(tilesN / maxPerDim);
  return [Math.ceil(tilesN / z), tilesM, z];
}
