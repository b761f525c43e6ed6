// conv2d forward and input-gradient kernels vs the float64 reference on odd shapes
// (tile remainders, padding, strides, non-square kernels, 1x1 images), overwrite and
// accumulate modes, and the grid folding past 65535 column tiles.

import { describe, expect, it } from 'vitest';
import { phaseAxis } from '../../gpu/kernels/conv2dBackwardInput';
import { gemmGrid } from '../../gpu/kernels/implicitGemm';
import type { KernelSink } from '../../gpu/recorder';
import { CASES, checkCase, fullShape } from './conv2dCheck';
import { gpuTestContext } from './testing';

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
