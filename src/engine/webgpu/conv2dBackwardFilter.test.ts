// GPU conv2d filter gradient (split-K implicit GEMM + splitKReduce) vs the float64
// reference on odd shapes, forced split counts, every row-tile variant, and accumulate mode.

import { describe, expect, it } from 'vitest';
import {
  chooseSplits,
  conv2dBackwardFilter,
  conv2dBackwardFilterKernels,
  filterGemmDims,
  filterTileM,
  splitPlan,
  type FilterTileM,
} from '../../gpu/kernels/conv2dBackwardFilter';
import { splitKReduce } from '../../gpu/kernels/splitKReduce';
import { conv2dOutShape, type Conv2dShape } from '../../util/shape';
import { conv2dBackwardFilter as cpuFilterGrad } from '../cpu/conv2dBackwardFilter';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload, type Tolerance } from './testing';

const EPS32 = 2 ** -24;

/** Each output is a float32 sum of K products of unit-scale values (inputs rounded to
 * float32 too): rounding errors add up like a random walk, ~sqrt(K) * eps * sqrt(K) in
 * absolute terms, while the outputs themselves are ~sqrt(K). So the error relative to the
 * largest output grows as sqrt(K) * eps; 8x covers the constant without hiding a wrong
 * tap or a missing chunk (those are O(1) relative errors). */
function filterTol(k: number): Tolerance {
  return { atol: 8 * Math.sqrt(k) * EPS32, rtol: 0 };
}

interface Case {
  label: string;
  shape: Conv2dShape;
  /** Forced split counts; 'auto' uses chooseSplits. */
  splits: (number | 'auto')[];
}

const TILE_MS = Object.keys(conv2dBackwardFilterKernels).map(Number) as FilterTileM[];

const conv = (
  n: number,
  cin: number,
  cout: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  stride: number,
  pad: number,
): Conv2dShape => ({
  n,
  cin,
  cout,
  h,
  w,
  kh,
  kw,
  stride,
  pad,
});

const CASES: Case[] = [
  { label: '3x3 pad 1 stride 1, 7x5, 3->5', shape: conv(1, 3, 5, 7, 5, 3, 3, 1, 1), splits: ['auto', 1, 3] },
  { label: '3x3 pad 1 stride 2, 9x9, 5->3', shape: conv(2, 5, 3, 9, 9, 3, 3, 2, 1), splits: [1, 4] },
  { label: '1x1 pad 0 stride 1, 7x5, 16->16', shape: conv(3, 16, 16, 7, 5, 1, 1, 1, 0), splits: [1, 5] },
  { label: '1x1 pad 0 stride 2, 9x9, 5->16', shape: conv(2, 5, 16, 9, 9, 1, 1, 2, 0), splits: [1, 3] },
  { label: '3x3 pad 0, 9x9, 16->5', shape: conv(1, 16, 5, 9, 9, 3, 3, 1, 0), splits: [1, 3] },
  { label: '3x1 pad 1, 7x5, 3->3', shape: conv(2, 3, 3, 7, 5, 3, 1, 1, 1), splits: [1, 6] },
  { label: '3x3 pad 1 on a 1x1 image, 5->3', shape: conv(3, 5, 3, 1, 1, 3, 3, 1, 1), splits: [1] },
  { label: '1x1 on a 1x1 image, 16->5', shape: conv(1, 16, 5, 1, 1, 1, 1, 1, 0), splits: [1] },
  // Several output tiles along both M (33 > 32) and N (16*9 = 144 > 32).
  { label: '3x3 pad 1 stride 1, 7x5, 16->33', shape: conv(2, 16, 33, 7, 5, 3, 3, 1, 1), splits: [1, 4] },
  // Several tiles of every height (70 > 64 rows), a partial last column tile (N = 7*4 = 28),
  // and a K tile spanning images (ho*wo = 3 < 16, so the pixel counters carry into b).
  { label: '2x2 pad 0 stride 2, 3x5, 7->70', shape: conv(9, 7, 70, 3, 5, 2, 2, 2, 0), splits: [1, 3] },
];

function inputs(shape: Conv2dShape, seed: number): { x: Float64Array; dy: Float64Array } {
  const { ho, wo } = conv2dOutShape(shape);
  const r = rng(seed);
  return { x: r.normalArray(shape.n * shape.cin * shape.h * shape.w), dy: r.normalArray(shape.n * shape.cout * ho * wo) };
}

describe('conv2dBackwardFilter vs float64 reference', () => {
  CASES.forEach(({ label, shape, splits: splitList }, caseIndex) => {
    it(label, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const { x, dy } = inputs(shape, 100 + caseIndex);
      const { m, n, k } = filterGemmDims(shape);
      const expected = cpuFilterGrad(x, dy, shape);
      const [bx, bdy] = [upload(ctx, x), upload(ctx, dy)];
      // 'auto' picks the tile too; forced split counts run with every tile height.
      const runs = splitList.flatMap((s): { s: number | 'auto'; tm?: FilterTileM }[] =>
        s === 'auto' ? [{ s }] : TILE_MS.map((tm) => ({ s, tm })),
      );
      const outs = runs.map(() => ctx.pool.acquire(4 * m * n));
      await run(ctx, (rec) => {
        runs.forEach(({ s, tm }, i) => conv2dBackwardFilter(rec, bx, bdy, outs[i], shape, s === 'auto' ? {} : { splits: s, tileM: tm }));
      });
      for (let i = 0; i < runs.length; i++) {
        const { s, tm } = runs[i];
        // A forced count above 1 must really split, or the split path goes untested.
        if (s !== 'auto' && s > 1) expect(splitPlan(k, s).splits, `effective splits for ${s}`).toBeGreaterThan(1);
        expectClose(await read(ctx, outs[i], m * n), expected, filterTol(k), `${label}, splits ${s}, TM ${tm ?? filterTileM(m)}`);
      }
      releaseAndCheck(ctx, before, bx, bdy, ...outs);
    });
  });

  it('accumulates into dw (one chunk and several)', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const shape = conv(2, 5, 3, 9, 9, 3, 3, 2, 1);
    const { x, dy } = inputs(shape, 7);
    const { m, n, k } = filterGemmDims(shape);
    const prior = rng(8).normalArray(m * n);
    const grad = cpuFilterGrad(x, dy, shape);
    const expected = grad.map((g, i) => g + prior[i]);
    const [bx, bdy] = [upload(ctx, x), upload(ctx, dy)];
    const outs = [upload(ctx, prior), upload(ctx, prior)];
    await run(ctx, (rec) => {
      conv2dBackwardFilter(rec, bx, bdy, outs[0], shape, { accumulate: true, splits: 1 });
      conv2dBackwardFilter(rec, bx, bdy, outs[1], shape, { accumulate: true, splits: 4 });
    });
    expect(splitPlan(k, 4).splits).toBe(4);
    expectClose(await read(ctx, outs[0], m * n), expected, filterTol(k), 'accumulate, splits 1');
    expectClose(await read(ctx, outs[1], m * n), expected, filterTol(k), 'accumulate, splits 4');
    releaseAndCheck(ctx, before, bx, bdy, ...outs);
  });

  it('chooses the row tile from cout', () => {
    expect([1, 16, 17, 32, 33, 64, 512].map(filterTileM)).toEqual([16, 16, 32, 32, 64, 64, 64]);
  });

  it('chooses splits from the problem size', () => {
    // Few output tiles, long K: split until there are enough workgroups, within the cap.
    const thin = chooseSplits(conv(128, 3, 16, 32, 32, 3, 3, 1, 1));
    expect(thin).toBeGreaterThan(16);
    expect(thin).toBeLessThanOrEqual(128);
    // Many output tiles already fill the GPU; tiny K is never split below a useful chunk.
    expect(chooseSplits(conv(8, 512, 512, 4, 4, 3, 3, 1, 1))).toBe(1);
    expect(chooseSplits(conv(1, 3, 5, 7, 5, 3, 3, 1, 1))).toBe(1);
    // Chunks are whole K tiles and never empty.
    for (const [k, s] of [
      [35, 3],
      [81, 4],
      [1, 8],
      [1000, 7],
    ] as const) {
      const plan = splitPlan(k, s);
      expect(plan.splits).toBeLessThanOrEqual(s);
      expect((plan.splits - 1) * plan.chunk).toBeLessThan(k);
      expect(plan.splits * plan.chunk).toBeGreaterThanOrEqual(k);
    }
  });
});

describe('splitKReduce', () => {
  it('sums partials, writing or accumulating (length not a multiple of the workgroup)', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const [length, splits] = [1000, 7];
    const r = rng(11);
    const partials = r.normalArray(length * splits);
    const prior = r.normalArray(length);
    const sums = new Float64Array(length);
    for (let s = 0; s < splits; s++) for (let i = 0; i < length; i++) sums[i] += partials[s * length + i];
    const bp = upload(ctx, partials);
    const written = ctx.pool.acquire(4 * length);
    const accumulated = upload(ctx, prior);
    await run(ctx, (rec) => {
      splitKReduce(rec, bp, written, length, splits, false);
      splitKReduce(rec, bp, accumulated, length, splits, true);
    });
    // 8 float32 additions of unit-scale values: a few eps of the largest sum.
    const tol: Tolerance = { atol: 1e-6, rtol: 1e-6 };
    expectClose(await read(ctx, written, length), sums, tol, 'write');
    expectClose(
      await read(ctx, accumulated, length),
      sums.map((v, i) => v + prior[i]),
      tol,
      'accumulate',
    );
    releaseAndCheck(ctx, before, bp, written, accumulated);
  });
});
