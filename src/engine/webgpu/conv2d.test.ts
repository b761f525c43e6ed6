// conv2d forward and input-gradient kernels vs the float64 reference on odd shapes
// (tile remainders, padding, strides, non-square kernels, 1x1 images), overwrite and
// accumulate modes, and the grid folding past 65535 column tiles.

import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../../gpu/device';
import { conv2dBackwardInput, phaseAxis } from '../../gpu/kernels/conv2dBackwardInput';
import { conv2dForward } from '../../gpu/kernels/conv2dForward';
import { gemmGrid } from '../../gpu/kernels/implicitGemm';
import type { KernelSink } from '../../gpu/recorder';
import { conv2dOutShape, type Conv2dShape } from '../../util/shape';
import * as cpu from '../cpu/conv2d';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload, type Tolerance } from './testing';

type Case = Omit<Conv2dShape, 'kw'> & { kw?: number; label: string };

const CASES: Case[] = [
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
function tolerance(k: number): Tolerance {
  return { atol: 8 * Math.sqrt(k) * 2 ** -23, rtol: 0 };
}

function f32Normals(seed: number, n: number): Float64Array {
  return Float64Array.from(Float32Array.from(rng(seed).normalArray(n)));
}

function fullShape(c: Case): Conv2dShape {
  return { ...c, kw: c.kw ?? c.kh };
}

async function checkCase(ctx: GpuContext, c: Case, seed: number, sinkOf = (s: KernelSink) => s): Promise<void> {
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
    x: upload(ctx, x), w: upload(ctx, wt), dy: upload(ctx, dy),
    y: upload(ctx, f32Normals(seed + 4, ny)), dx: upload(ctx, f32Normals(seed + 5, nx)), dxAcc: upload(ctx, dxInit),
  };
  await run(ctx, (rec) => {
    const sink = sinkOf(rec);
    conv2dForward(sink, bufs.x, bufs.w, bufs.y, s);
    conv2dBackwardInput(sink, bufs.dy, bufs.w, bufs.dx, s);
    conv2dBackwardInput(sink, bufs.dy, bufs.w, bufs.dxAcc, s, { accumulate: true });
  });
  const dxRef = cpu.conv2dBackwardInput(dy, wt, s);
  const backTol = tolerance(s.cout * s.kh * s.kw);
  expectClose(await read(ctx, bufs.y, ny), cpu.conv2dForward(x, wt, s), tolerance(s.cin * s.kh * s.kw), `${c.label} forward`);
  expectClose(await read(ctx, bufs.dx, nx), dxRef, backTol, `${c.label} backward input`);
  // Adding O(1) initial values widens the scale a little; the bound still holds per element.
  expectClose(await read(ctx, bufs.dxAcc, nx), dxRef.map((v, i) => v + dxInit[i]), backTol, `${c.label} backward input, accumulate`);
  releaseAndCheck(ctx, before, ...Object.values(bufs));
}

describe('conv2d kernels vs float64 reference', () => {
  CASES.forEach((c, i) => {
    const s = fullShape(c);
    it(`${c.label}: n${s.n} ${s.cin}->${s.cout} ${s.h}x${s.w} k${s.kh}x${s.kw} s${s.stride} p${s.pad}`, async () => {
      await checkCase(await gpuTestContext(), c, 100 * (i + 1));
    });
  });

  it('folds column tiles into z past the per-dimension limit (forced here with a limit of 2)', async () => {
    const ctx = await gpuTestContext();
    let folded = 0;
    // Re-grids every dispatch as if the device allowed only 2 workgroups per dimension.
    const refold = (rec: KernelSink): KernelSink => ({
      ...rec,
      scratch: rec.scratch.bind(rec),
      copy: rec.copy.bind(rec),
      clear: rec.clear.bind(rec),
      dispatch: (d) => {
        const tm = Number(d.kernel.constants?.TM);
        const [gx, gy] = d.workgroups;
        const grid = gemmGrid(gy! * tm, gx * 64, tm, 64, 2);
        if (grid[2] > 1) folded++;
        rec.dispatch({ ...d, workgroups: [grid[0], gy!, grid[2]] });
      },
    });
    // N = 2*12*12 = 288 pixels -> 5 column tiles -> 3 x 2 grid with one idle workgroup.
    await checkCase(ctx, { label: 'folded', n: 2, cin: 3, cout: 5, h: 12, w: 12, kh: 3, stride: 1, pad: 1 }, 7, refold);
    expect(folded).toBe(3);
  });

  it('stride phases: taps and pixels of each residue', () => {
    // 3x3, pad 1, stride 2, 9 pixels: (i + 1) even for i = 1, 3, 5, 7 (taps 0 and 2), odd for i = 0, 2, 4, 6, 8 (tap 1).
    expect(phaseAxis(0, 2, 3, 1, 9)).toEqual({ taps: 2, first: 1, count: 4 });
    expect(phaseAxis(1, 2, 3, 1, 9)).toEqual({ taps: 1, first: 0, count: 5 });
    // 1x1 at stride 2: the odd residue has no tap.
    expect(phaseAxis(1, 2, 1, 0, 8)).toEqual({ taps: 0, first: 1, count: 4 });
    // Stride 1: one phase, every tap and pixel.
    expect(phaseAxis(0, 1, 5, 2, 7)).toEqual({ taps: 5, first: 0, count: 7 });
  });

  it('grid math: tiles cover M x N, stay within 65535 per dimension', () => {
    expect(gemmGrid(16, 64, 16)).toEqual([1, 1, 1]);
    expect(gemmGrid(67, 297, 64)).toEqual([5, 2, 1]);
    const [x, y, z] = gemmGrid(64, 70_000 * 64, 64);
    expect(x <= 65535 && z === 2 && y === 1 && x * z >= 70_000).toBe(true);
  });
});
