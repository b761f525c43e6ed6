// BatchNorm's finalize and the element-wise kernel that reads its result, in one dispatch
// (src/gpu/kernels/channelApply.ts), vs the float64 reference on odd shapes: batch 1,
// h*w = 1, odd planes (the scalar kernel), planes of a multiple of 4 (vec4), and channels
// long enough to be split over several workgroups that each re-merge the partials.

import { describe, expect, it } from 'vitest';
import { batchNormBackward, batchNormPartialStats, type BatchNormShape } from '../../gpu/kernels/batchNorm';
import { batchNormStatsApply, channelApplyFits } from '../../gpu/kernels/channelApply';
import { load, type FusedExpr } from '../../gpu/kernels/fusedExpr';
import * as cpu from '../cpu/batchNorm';
import { bnRecord, expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const EPS = 1e-5;
const MOMENTUM = 0.1;

const SHAPES: BatchNormShape[] = [
  { n: 1, c: 3, h: 7, w: 5 },
  { n: 7, c: 5, h: 1, w: 1 },
  { n: 2, c: 4, h: 4, w: 6 },
  // 5 * 31 * 31 = 4805 floats per channel: 2 slices of the scalar kernel.
  { n: 5, c: 2, h: 31, w: 31 },
  // 17 * 32 * 32 / 4 = 4352 vec4s per channel: 2 slices of the vec4 kernel.
  { n: 17, c: 3, h: 32, w: 32 },
];

const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);
const relu = (v: number) => Math.max(v, 0);

describe('BatchNorm finalize + apply in one dispatch vs float64 reference', () => {
  it('fits the ResNet forms in the default limit of 8 storage buffers, and refuses what does not', () => {
    const b = {} as GPUBuffer;
    const [x, skip, g, by, coef] = [1, 2, 3, 4, 5].map(() => ({ buffer: b, offset: 256 * Math.random() }) as unknown as GPUBuffer);
    const dx: FusedExpr = { op: 'bnGrad', dy: { op: 'mask', g: load(g), by: load(by) }, x: load(x), coef };
    expect(channelApplyFits('grad', dx, coef, 8), 'backward of relu(bn(x)): 4 + dx + 3').toBe(true);
    const dx2: FusedExpr = { ...dx, dy: { op: 'mask', g: { op: 'add', a: load(g), b: load(skip) }, by: load(by) } };
    expect(channelApplyFits('grad', dx2, coef, 8)).toBe(false);
    expect(channelApplyFits('grad', dx2, coef, 9)).toBe(true);
    const y: FusedExpr = { op: 'relu', a: { op: 'add', a: load(skip), b: { op: 'bn', a: load(x), coef } } };
    expect(channelApplyFits('stats', y, coef, 8), '6 + out + 2 inputs').toBe(false);
    expect(channelApplyFits('stats', y, coef, 9)).toBe(true);
    const y1: FusedExpr = { op: 'relu', a: { op: 'bn', a: load(x), coef } };
    expect(channelApplyFits('stats', y1, coef, 8), 'relu(bn(x)): 6 + out + x').toBe(true);
  });

  for (const s of SHAPES) {
    const size = s.n * s.c * s.h * s.w;
    const hw = s.h * s.w;
    const label = `n=${s.n} c=${s.c} h=${s.h} w=${s.w}`;
    const ch = (i: number) => Math.floor(i / hw) % s.c;

    it(`forward: relu(skip + bn(x)) with the statistics finalized in the kernel, written and accumulated, at ${label}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(size * 7 + s.c);
      const x = f32(r.normalArray(size).map((v, i) => 2 + v * (1 + ch(i))));
      const [skip, prev] = [f32(r.normalArray(size)), f32(r.normalArray(size))];
      const gamma = f32(r.uniformArray(s.c, 0.5, 1.5));
      const beta = f32(r.normalArray(s.c));
      const [rm0, rv0] = [f32(r.normalArray(s.c)), f32(r.uniformArray(s.c, 0.5, 2))];
      const ref = cpu.batchNormTrainForward(x, gamma, beta, rm0, rv0, { ...s, eps: EPS, momentum: MOMENTUM });
      const want = ref.y.map((v, i) => relu(skip[i] + v));
      // Running stats again in the accumulating run, from the first run's values.
      const ref2 = cpu.batchNormTrainForward(x, gamma, beta, ref.runningMean, ref.runningVar, { ...s, eps: EPS, momentum: MOMENTUM });

      const B = {
        x: upload(ctx, x),
        skip: upload(ctx, skip),
        gamma: upload(ctx, gamma),
        beta: upload(ctx, beta),
        rm: upload(ctx, rm0),
        rv: upload(ctx, rv0),
        coef: ctx.pool.acquire(s.c * 16),
        y: upload(ctx, new Float64Array(size).fill(1e3)),
        yAcc: upload(ctx, prev),
      };
      const saved = { coef: B.coef };
      const e: FusedExpr = { op: 'relu', a: { op: 'add', a: load(B.skip), b: { op: 'bn', a: load(B.x), coef: B.coef } } };
      let dispatches = 0;
      await run(ctx, (rec) => {
        const p = { ...s, eps: EPS, momentum: MOMENTUM };
        const st = batchNormPartialStats(rec, B.x, B.gamma, B.beta, saved, B.rm, B.rv, p);
        batchNormStatsApply(rec, st, e, B.y, { n: s.n, c: s.c, hw });
        const st2 = batchNormPartialStats(rec, B.x, B.gamma, B.beta, saved, B.rm, B.rv, p);
        batchNormStatsApply(rec, st2, e, B.yAcc, { n: s.n, c: s.c, hw, accumulate: true });
        dispatches = rec.dispatches().length;
      });
      expect(dispatches, '(reduce, finalize + apply) twice').toBe(4);
      expectClose(await read(ctx, B.y, size), want, undefined, 'y');
      expectClose(
        await read(ctx, B.yAcc, size),
        want.map((v, i) => v + prev[i]),
        undefined,
        'y accumulated',
      );
      expectClose(await read(ctx, B.coef, 4 * s.c), bnRecord(gamma, ref.savedMean, ref.savedInvStd, beta), undefined, 'record');
      expectClose(await read(ctx, B.rm, s.c), ref2.runningMean, undefined, 'running mean, updated once per dispatch');
      expectClose(await read(ctx, B.rv, s.c), ref2.runningVar, undefined, 'running var, updated once per dispatch');
      releaseAndCheck(ctx, before, ...Object.values(B));
    });

    it(`backward: dx of bn with dy = relu mask of g, finalize and dx in one dispatch, at ${label}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(size * 11 + s.c);
      const x = f32(r.normalArray(size).map((v, i) => 1 + v * (1 + ch(i))));
      const [g, by] = [f32(r.normalArray(size)), f32(r.normalArray(size))];
      const gamma = f32(r.uniformArray(s.c, 0.5, 1.5));
      const fwd = cpu.batchNormTrainForward(x, gamma, new Float64Array(s.c), new Float64Array(s.c), new Float64Array(s.c).fill(1), {
        ...s,
        eps: EPS,
        momentum: MOMENTUM,
      });
      const [sMean, sInv] = [f32(fwd.savedMean), f32(fwd.savedInvStd)];
      const dy = Float64Array.from({ length: size }, (_, i) => (by[i] > 0 ? g[i] : 0));
      const want = cpu.batchNormBackward(x, dy, gamma, sMean, sInv, s);
      const B = {
        x: upload(ctx, x),
        g: upload(ctx, g),
        by: upload(ctx, by),
        coef: upload(ctx, bnRecord(gamma, sMean, sInv)),
        dx: upload(ctx, new Float64Array(size).fill(1e3)),
        dgamma: upload(ctx, new Float64Array(s.c).fill(1e3)),
        dbeta: upload(ctx, new Float64Array(s.c).fill(1e3)),
      };
      const e: FusedExpr = { op: 'mask', g: load(B.g), by: load(B.by) };
      let dispatches = 0;
      await run(ctx, (rec) => {
        batchNormBackward(rec, B.x, e, { coef: B.coef }, B.dx, B.dgamma, B.dbeta, { ...s, maxStorage: 8 });
        dispatches = rec.dispatches().length;
      });
      expect(dispatches, 'reduce, then finalize + dx').toBe(2);
      expectClose(await read(ctx, B.dx, size), want.dx, undefined, 'dx');
      expectClose(await read(ctx, B.dgamma, s.c), want.dgamma, undefined, 'dgamma');
      expectClose(await read(ctx, B.dbeta, s.c), want.dbeta, undefined, 'dbeta');
      releaseAndCheck(ctx, before, ...Object.values(B));
    });
  }
});
