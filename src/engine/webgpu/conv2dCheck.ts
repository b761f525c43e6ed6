// Shared by the conv2d kernel tests (tiled GEMM and direct variants): odd shapes (tile
// remainders, padding, strides, non-square kernels, 1x1 images) and a check of forward and
// input gradient (overwrite and accumulate) against the float64 reference. Tests only.

import type { GpuContext, ConvVariant, KernelSink } from '../../gpu';
import { conv2dBackwardInput, conv2dForward } from '../../gpu';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import * as cpu from '../cpu/conv2d';
import { expectClose, read, releaseAndCheck, rng, run, upload, type Tolerance } from './testing';

export type Case = Omit<Conv2dShape, 'kw'> & { kw?: number; label: string };

export const CASES: Case[] = [
  { label: '3x3 pad1 s1, batch 1', n: 1, cin: 3, cout: 5, h: 7, w: 5, kh: 3, stride: 1, pad: 1 },
  { label: '3x3 pad1 s2', n: 2, cin: 5, cout: 3, h: 9, w: 9, kh: 3, stride: 2, pad: 1 },
  { label: '3x3 pad1 on a 1x1 image', n: 1, cin: 16, cout: 16, h: 1, w: 1, kh: 3, stride: 1, pad: 1 },
  { label: '1x1 pad0 s1', n: 2, cin: 3, cout: 16, h: 7, w: 5, kh: 1, stride: 1, pad: 0 },
  { label: '1x1 pad0 s2', n: 3, cin: 16, cout: 5, h: 9, w: 9, kh: 1, stride: 2, pad: 0 },
  { label: '3x3 pad0', n: 2, cin: 5, cout: 16, h: 9, w: 9, kh: 3, stride: 1, pad: 0 },
  { label: '3x1 kernel pad1', n: 2, cin: 3, cout: 5, h: 7, w: 5, kh: 3, kw: 1, stride: 1, pad: 1 },
  { label: '2x3 kernel pad1 s2, 32-row tiles', n: 2, cin: 40, cout: 20, h: 6, w: 10, kh: 2, kw: 3, stride: 2, pad: 1 },
  { label: '5x5 pad2 s3', n: 1, cin: 4, cout: 6, h: 10, w: 8, kh: 5, stride: 3, pad: 2 },
  { label: '3x3 pad0 s2 on an even image', n: 2, cin: 3, cout: 4, h: 8, w: 8, kh: 3, stride: 2, pad: 0 },
  { label: '1x1 pad0 s2 on an even image (3 of 4 phases have no taps)', n: 1, cin: 5, cout: 3, h: 8, w: 6, kh: 1, stride: 2, pad: 0 },
  { label: 'several 64x64 tiles with remainders', n: 3, cin: 70, cout: 67, h: 11, w: 9, kh: 3, stride: 1, pad: 1 },
];

/**
 * Float32 accumulation of K products of unit-normal values: the result has magnitude
 * ~sqrt(K), and rounding errors random-walk to ~sqrt(K) * eps relative to it (eps = 2^-23).
 * Inputs are rounded to float32 before the reference sees them, so only the kernel's own
 * rounding counts. A factor 8 covers the tails and FMA-vs-separate rounding; a wrong index
 * or a missed term gives O(1) errors, far above this.
 */
export function tolerance(k: number): Tolerance {
  return { atol: 8 * Math.sqrt(k) * 2 ** -23, rtol: 0 };
}

export function f32Normals(seed: number, n: number): Float64Array {
  return Float64Array.from(Float32Array.from(rng(seed).normalArray(n)));
}

export function fullShape(c: Case): Conv2dShape {
  return { ...c, kw: c.kw ?? c.kh };
}

/** Forward and input gradient of case c with the given variant (default: the descriptors'). */
export async function checkCase(
  ctx: GpuContext,
  c: Case,
  seed: number,
  sinkOf = (s: KernelSink) => s,
  variant?: ConvVariant,
): Promise<void> {
  const s = fullShape(c);
  const { ho, wo } = conv2dOutShape(s);
  const nx = s.n * s.cin * s.h * s.w;
  const ny = s.n * s.cout * ho * wo;
  const before = ctx.pool.getStats().inUseBytes;
  const x = f32Normals(seed, nx);
  const wt = f32Normals(seed + 1, s.cout * s.cin * s.kh * s.kw);
  const dy = f32Normals(seed + 2, ny);
  const dxInit = f32Normals(seed + 3, nx);
  // Outputs start as garbage so an element the kernel never writes cannot pass by luck.
  const bufs = {
    x: upload(ctx, x),
    w: upload(ctx, wt),
    dy: upload(ctx, dy),
    y: upload(ctx, f32Normals(seed + 4, ny)),
    dx: upload(ctx, f32Normals(seed + 5, nx)),
    dxAcc: upload(ctx, dxInit),
  };
  await run(ctx, (rec) => {
    const sink = sinkOf(rec);
    conv2dForward(sink, bufs.x, bufs.w, bufs.y, s, { variant });
    conv2dBackwardInput(sink, bufs.dy, bufs.w, bufs.dx, s, { variant });
    conv2dBackwardInput(sink, bufs.dy, bufs.w, bufs.dxAcc, s, { accumulate: true, variant });
  });
  const dxRef = cpu.conv2dBackwardInput(dy, wt, s);
  const backTol = tolerance(s.cout * s.kh * s.kw);
  expectClose(await read(ctx, bufs.y, ny), cpu.conv2dForward(x, wt, s), tolerance(s.cin * s.kh * s.kw), `${c.label} forward`);
  expectClose(await read(ctx, bufs.dx, nx), dxRef, backTol, `${c.label} backward input`);
  // Adding O(1) initial values widens the scale a little; the bound still holds per element.
  expectClose(
    await read(ctx, bufs.dxAcc, nx),
    dxRef.map((v, i) => v + dxInit[i]),
    backTol,
    `${c.label} backward input, accumulate`,
  );
  releaseAndCheck(ctx, before, ...Object.values(bufs));
}
