// The barrier-free direct conv2d kernels (forward, input gradient, filter gradient) vs the
// float64 reference on the same odd shapes as the tiled kernels, overwrite and accumulate,
// forced and automatic row splits of the filter gradient, whose generated geometries are
// also checked on the ResNet shapes.

import { describe, expect, it } from 'vitest';
import { conv2dBackwardFilter } from '../../gpu/kernels/conv2dBackwardFilter';
import {
  conv2dBackwardFilterDirectKernels,
  directSplitPlan,
  filterGradDirectKernel,
  filterGradDirectPlan,
  filterGradGeometry,
} from '../../gpu/kernels/conv2dBackwardFilterDirect';
import { conv2dOutShape } from '../../util/shape';
import { conv2dBackwardFilter as cpuFilterGrad } from '../cpu/conv2dBackwardFilter';
import { CASES, checkCase, f32Normals, fullShape, tolerance, type Case } from './conv2dCheck';
import { expectClose, gpuTestContext, read, releaseAndCheck, run, upload } from './testing';

describe('direct conv2d forward and input gradient vs float64 reference', () => {
  CASES.forEach((c, i) => {
    const s = fullShape(c);
    it(`${c.label}: n${s.n} ${s.cin}->${s.cout} ${s.h}x${s.w} k${s.kh}x${s.kw} s${s.stride} p${s.pad}`, async () => {
      await checkCase(await gpuTestContext(), c, 300 + 100 * i, undefined, 'direct');
    });
  });
});

/** The ResNet shapes (at a small batch and image) that each generated geometry must cover:
 * 3x3 stride 1 with whole 8-pixel runs, 3x3 stride 2, 1x1 stride 2 over 4-channel blocks. */
const RESNET: Case[] = [
  { label: 'ResNet stem 3->16 3x3 s1', n: 2, cin: 3, cout: 16, h: 16, w: 16, kh: 3, stride: 1, pad: 1 },
  { label: 'ResNet 16->32 3x3 s2', n: 2, cin: 16, cout: 32, h: 16, w: 16, kh: 3, stride: 2, pad: 1 },
  { label: 'ResNet 16->32 1x1 s2', n: 2, cin: 16, cout: 32, h: 16, w: 16, kh: 1, stride: 2, pad: 0 },
  { label: 'ResNet 64->64 3x3 s1 on 8x8', n: 2, cin: 64, cout: 64, h: 8, w: 8, kh: 3, stride: 1, pad: 1 },
];

describe('direct conv2d filter gradient vs float64 reference', () => {
  // Forced counts: one chunk (dw written directly) and 3 (partials + splitKReduce).
  const SPLITS = [undefined, 1, 3] as const;
  [...CASES, ...RESNET].forEach((c, i) => {
    const s = fullShape(c);
    it(`${c.label}: splits auto / 1 / 3, accumulate off and on`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const { ho, wo } = conv2dOutShape(s);
      const [m, n, k] = [s.cout, s.cin * s.kh * s.kw, s.n * ho * wo];
      const x = f32Normals(900 + i, s.n * s.cin * s.h * s.w);
      const dy = f32Normals(950 + i, s.n * s.cout * ho * wo);
      const prior = f32Normals(990 + i, m * n);
      const expected = cpuFilterGrad(x, dy, s);
      const [bx, bdy] = [upload(ctx, x), upload(ctx, dy)];
      // Written outputs start as garbage so an element never written cannot pass by luck.
      const runs = SPLITS.flatMap((splits) =>
        [false, true].map((accumulate) => ({ splits, accumulate, out: upload(ctx, f32Normals(7 + i, m * n)) })),
      );
      for (const r of runs) if (r.accumulate) ctx.device.queue.writeBuffer(r.out, 0, Float32Array.from(prior));
      await run(ctx, (rec) => {
        for (const r of runs)
          conv2dBackwardFilter(rec, bx, bdy, r.out, s, { variant: 'direct', splits: r.splits, accumulate: r.accumulate });
      });
      if (s.n * ho >= 3) expect(filterGradDirectPlan(s, 3).splits, 'a forced split of 3 really splits').toBeGreaterThan(1);
      for (const r of runs) {
        const want = r.accumulate ? expected.map((v, j) => v + prior[j]) : expected;
        expectClose(
          await read(ctx, r.out, m * n),
          want,
          tolerance(k),
          `${c.label}, splits ${r.splits ?? 'auto'}, accumulate ${r.accumulate}`,
        );
      }
      releaseAndCheck(ctx, before, bx, bdy, ...runs.map((r) => r.out));
    });
  });

  it('runs the ResNet shapes with every tap of an input channel in one invocation', () => {
    const geometry = (c: Case) => filterGradGeometry(fullShape(c));
    expect(RESNET.map(geometry)).toEqual([
      { kw: 3, stride: 1, px: 8, ci: 1, ky: 3 },
      { kw: 3, stride: 2, px: 4, ci: 1, ky: 3 },
      { kw: 1, stride: 2, px: 4, ci: 4, ky: 1 },
      { kw: 3, stride: 1, px: 8, ci: 1, ky: 3 },
    ]);
    const pre = conv2dBackwardFilterDirectKernels;
    expect(
      RESNET.map((c) => filterGradDirectKernel(geometry(c))),
      'generated at load',
    ).toEqual([pre.k3s1, pre.k3s2, pre.k1s2, pre.k3s1]);
    // 5x5 taps would make SwiftShader's compile of the unrolled body take ~15 s: one tap
    // row per invocation.
    expect(geometry(CASES.find((c) => c.kh === 5)!).ky).toBe(1);
  });

  it('plans chunks of output rows: no empty chunk, enough invocations, a long K is split', () => {
    for (const [rows, s] of [
      [35, 3],
      [256, undefined],
      [1, 8],
      [64, 7],
    ] as const) {
      const plan = directSplitPlan(16, 144, rows, 32, 64, s);
      expect((plan.splits - 1) * plan.chunk).toBeLessThan(rows);
      expect(plan.splits * plan.chunk).toBeGreaterThanOrEqual(rows);
    }
    expect(directSplitPlan(16, 144, 256, 32, 64).splits).toBeGreaterThan(8);
    expect(directSplitPlan(3, 5, 10, 10, 1).splits).toBe(1);
  });
});
