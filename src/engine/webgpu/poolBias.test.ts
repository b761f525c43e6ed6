// Global average pooling (forward/backward) and per-channel bias (add, gradient with and
// without accumulation) vs the float64 reference on odd shapes, including hw = 1 (linear
// layers) and a bias gradient split over several workgroups per channel.

import { describe, expect, it } from 'vitest';
import { biasGrad } from '../../gpu/kernels/biasGrad';
import { planChunks } from '../../gpu/kernels/channelReduce';
import { elementwise } from '../../gpu/kernels/elementwise';
import { POOL_VARIANTS, globalAvgPoolBackward, globalAvgPoolForward } from '../../gpu/kernels/globalAvgPool';
import * as cpuBias from '../cpu/bias';
import * as cpuPool from '../cpu/pool';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

// Default F32 tolerance throughout (1e-5 of the largest magnitude + 1e-4 relative): the
// reductions are float32 tree sums whose error grows ~ log2(terms) * eps32, far below it.
const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);

const POOL_SHAPES = [
  { n: 2, c: 3, h: 7, w: 5 },
  { n: 1, c: 5, h: 1, w: 1 },
  { n: 3, c: 16, h: 8, w: 8 },
  // A row longer than the workgroup, so threads stride before the tree.
  { n: 1, c: 2, h: 33, w: 31 },
];

const BIAS_SHAPES = [
  { n: 5, c: 10, hw: 1 },
  { n: 1, c: 1, hw: 7 },
  { n: 2, c: 3, hw: 35 },
  { n: 3, c: 16, hw: 16 },
  // m = 5115 values per channel: 3 workgroups per channel before the combine pass.
  { n: 5, c: 3, hw: 1023 },
];

describe('global average pooling vs float64 reference', () => {
  for (const s of POOL_SHAPES) {
    it(`forward (tree and direct) and backward at n=${s.n} c=${s.c} h=${s.h} w=${s.w}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const rows = s.n * s.c;
      const size = rows * s.h * s.w;
      const r = rng(size + 7);
      const x = f32(r.normalArray(size).map((v) => v + 1));
      const dy = f32(r.normalArray(rows));
      const [bx, bdy] = [upload(ctx, x), upload(ctx, dy)];
      // Outputs start as garbage so a row never written cannot pass by luck.
      const ys = POOL_VARIANTS.map(() => upload(ctx, new Float64Array(rows).fill(1e3)));
      const dx = upload(ctx, new Float64Array(size).fill(1e3));
      await run(ctx, (rec) => {
        POOL_VARIANTS.forEach((variant, i) => globalAvgPoolForward(rec, bx, ys[i], s, { variant }));
        globalAvgPoolBackward(rec, bdy, dx, s);
      });
      for (const [i, variant] of POOL_VARIANTS.entries())
        expectClose(await read(ctx, ys[i], rows), cpuPool.globalAvgPoolForward(x, s), undefined, `pool forward, ${variant}`);
      expectClose(await read(ctx, dx, size), cpuPool.globalAvgPoolBackward(dy, s), undefined, 'pool backward');
      releaseAndCheck(ctx, before, bx, bdy, ...ys, dx);
    });
  }
});

describe('bias add and bias gradient vs float64 reference', () => {
  it('splits the largest test shape across several workgroups per channel', () => {
    expect(planChunks(5 * 1023).chunks).toBeGreaterThanOrEqual(3);
  });

  for (const s of BIAS_SHAPES) {
    it(`add, grad, accumulated grad at n=${s.n} c=${s.c} hw=${s.hw}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const size = s.n * s.c * s.hw;
      const r = rng(size * 3 + s.c);
      const x = f32(r.normalArray(size));
      const dy = f32(r.normalArray(size));
      const bias = f32(r.normalArray(s.c));
      const prev = f32(r.normalArray(s.c));
      const [bx, bdy, bb] = [upload(ctx, x), upload(ctx, dy), upload(ctx, bias)];
      const y = ctx.pool.acquire(size * 4);
      // Garbage in the overwrite-mode gradient must not leak into the result.
      const [db, dbAcc] = [upload(ctx, new Float64Array(s.c).fill(1e3)), upload(ctx, prev)];
      await run(ctx, (rec) => {
        elementwise(rec, 'biasAdd', { x: bx, bias: bb, out: y }, size, { c: s.c, hw: s.hw });
        biasGrad(rec, bdy, db, s);
        biasGrad(rec, bdy, dbAcc, { ...s, accumulate: true });
      });
      const grad = cpuBias.biasGrad(dy, s);
      expectClose(await read(ctx, y, size), cpuBias.biasAdd(x, bias, s), undefined, 'bias add');
      expectClose(await read(ctx, db, s.c), grad, undefined, 'bias grad');
      expectClose(
        await read(ctx, dbAcc, s.c),
        grad.map((v, i) => v + prev[i]),
        undefined,
        'bias grad accumulated',
      );
      releaseAndCheck(ctx, before, bx, bdy, bb, y, db, dbAcc);
    });
  }
});
