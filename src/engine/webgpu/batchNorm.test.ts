// BatchNorm2d kernels vs the float64 reference: training forward (saved and running
// stats), eval forward, backward with and without gradient accumulation, on odd shapes
// including batch 1, h*w = 1, and statistics split over several workgroups per channel.

import { describe, expect, it } from 'vitest';
import { CommandRecorder } from '../../gpu/recorder';
import type { VariantChooser } from '../../gpu/sink';
import { batchNormBackward, batchNormEvalForward, batchNormTrainForward, type BatchNormShape } from '../../gpu/kernels/batchNorm';
import { planChunks } from '../../gpu/kernels/channelReduce';
import { bnReducePlan } from '../../gpu/kernels/batchNormBackwardReduce';
import * as cpu from '../cpu/batchNorm';
import { bnRecord, expectClose, recordField, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const EPS = 1e-5;
const MOMENTUM = 0.1;

// All outputs use the default F32 tolerance (1e-5 of the largest magnitude + 1e-4 relative):
// the tree sums' float32 error grows only ~ log2(m) * eps32 (observed <= 7e-7 relative at
// m = 5115); the worst observed, 1.6e-6, is rounding of x - mean when |mean| = 100.
const SHAPES: (BatchNormShape & { offset: number })[] = [
  { n: 1, c: 3, h: 7, w: 5, offset: 3 },
  { n: 4, c: 1, h: 3, w: 3, offset: -2 },
  { n: 2, c: 5, h: 7, w: 5, offset: 0 },
  { n: 3, c: 16, h: 1, w: 1, offset: 1 },
  { n: 2, c: 16, h: 4, w: 4, offset: 0.5 },
  // m = 5115: the statistics and gradient sums are split over 3 workgroups per channel.
  { n: 5, c: 3, h: 33, w: 31, offset: 3 },
  // |mean| >> std: a sum / sum-of-squares variance would lose ~3 digits in float32 here.
  { n: 2, c: 3, h: 9, w: 7, offset: 100 },
];

const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);

/** Runs the backward's reduction barrier-free (batchNormBackwardReduceDirect). */
const DIRECT_REDUCE: VariantChooser = { choose: (op) => (op.kind === 'batchNormBackwardReduce' ? 'direct' : op.default) };

describe('BatchNorm2d vs float64 reference', () => {
  it('splits the largest test shape across several workgroups per channel', () => {
    expect(planChunks(5 * 33 * 31).chunks).toBeGreaterThanOrEqual(3);
    expect(bnReducePlan(5 * 33 * 31, 'direct').chunks, 'the barrier-free reduction: many short chunks').toBeGreaterThanOrEqual(64);
  });

  for (const s of SHAPES) {
    const label = `n=${s.n} c=${s.c} h=${s.h} w=${s.w} offset=${s.offset}`;
    it(`train/eval forward and backward (overwrite + accumulate) at ${label}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const { c } = s;
      const size = s.n * c * s.h * s.w;
      const r = rng(size * 31 + c);
      // Per-channel scales differ so a channel mix-up cannot pass.
      const x = f32(r.normalArray(size).map((v, i) => s.offset + v * (1 + (Math.floor(i / (s.h * s.w)) % c))));
      const dy = f32(r.normalArray(size));
      const gamma = f32(r.uniformArray(c, 0.5, 1.5));
      const beta = f32(r.normalArray(c));
      const rm0 = f32(r.normalArray(c));
      const rv0 = f32(r.uniformArray(c, 0.5, 2));
      const prevDg = f32(r.normalArray(c));
      const prevDb = f32(r.normalArray(c));

      const ref = cpu.batchNormTrainForward(x, gamma, beta, rm0, rv0, { ...s, eps: EPS, momentum: MOMENTUM });
      // The backward runs on the reference's saved stats (as float32) so it is checked alone.
      const sMean = f32(ref.savedMean);
      const sInv = f32(ref.savedInvStd);
      const grads = cpu.batchNormBackward(x, dy, gamma, sMean, sInv, s);
      const evalY = cpu.batchNormEvalForward(x, gamma, beta, rm0, rv0, { ...s, eps: EPS });

      const [bx, bdy, bg, bb] = [upload(ctx, x), upload(ctx, dy), upload(ctx, gamma), upload(ctx, beta)];
      const [rm, rv, rmEval, rvEval] = [upload(ctx, rm0), upload(ctx, rv0), upload(ctx, rm0), upload(ctx, rv0)];
      const bsCoef = upload(ctx, bnRecord(gamma, sMean, sInv));
      const fwd = { coef: bsCoef };
      // Garbage in the overwrite-mode outputs: they must not leak into the result.
      const garbage = new Float64Array(c).fill(1e3);
      const [dg, db, dgAcc, dbAcc] = [upload(ctx, garbage), upload(ctx, garbage), upload(ctx, prevDg), upload(ctx, prevDb)];
      const [y, yEval, dx, dxAcc] = Array.from({ length: 4 }, () => ctx.pool.acquire(size * 4));
      const coef = ctx.pool.acquire(c * 16);
      // The backward again with the barrier-free reduction (the software rasterisers' choice).
      const [dxDirect, dgDirect, dbDirect] = [upload(ctx, new Float64Array(size).fill(1e3)), upload(ctx, garbage), upload(ctx, garbage)];
      // And with the finalize and dx in one dispatch (channelApply.ts), overwrite + accumulate.
      const [dxOne, dgOne, dbOne] = [upload(ctx, new Float64Array(size).fill(1e3)), upload(ctx, garbage), upload(ctx, garbage)];
      const [dxOneAcc, dgOneAcc, dbOneAcc] = [upload(ctx, new Float64Array(size).fill(1e3)), upload(ctx, prevDg), upload(ctx, prevDb)];
      const maxStorage = ctx.limits.maxStorageBuffersPerShaderStage;

      await run(ctx, (rec) => {
        batchNormTrainForward(rec, bx, bg, bb, y, { coef }, rm, rv, { ...s, eps: EPS, momentum: MOMENTUM });
        batchNormEvalForward(rec, bx, bg, bb, rmEval, rvEval, yEval, { ...s, eps: EPS });
        batchNormBackward(rec, bx, bdy, fwd, dx, dg, db, s);
        batchNormBackward(rec, bx, bdy, fwd, dxAcc, dgAcc, dbAcc, { ...s, accumulate: true });
      });
      await run(ctx, (rec) => batchNormBackward(rec, bx, bdy, fwd, dxDirect, dgDirect, dbDirect, s), DIRECT_REDUCE);
      let dispatches = 0;
      await run(ctx, (rec) => {
        batchNormBackward(rec, bx, bdy, fwd, dxOne, dgOne, dbOne, { ...s, maxStorage });
        batchNormBackward(rec, bx, bdy, fwd, dxOneAcc, dgOneAcc, dbOneAcc, { ...s, maxStorage, accumulate: true });
        dispatches = rec.dispatches().length;
      });
      expect(dispatches, 'reduce + (finalize and dx), twice').toBe(4);

      expectClose(await read(ctx, y, size), ref.y, undefined, 'train y');
      const record = await read(ctx, coef, 4 * c);
      expectClose(record, bnRecord(gamma, ref.savedMean, ref.savedInvStd, beta), undefined, 'record (mean, gamma*invStd, beta, invStd)');
      expectClose(recordField(record, 0), ref.savedMean, undefined, 'saved mean');
      expectClose(recordField(record, 3), ref.savedInvStd, undefined, 'saved invStd');
      expectClose(await read(ctx, rm, c), ref.runningMean, undefined, 'running mean');
      expectClose(await read(ctx, rv, c), ref.runningVar, undefined, 'running var');
      expectClose(await read(ctx, yEval, size), evalY, undefined, 'eval y');
      expectClose(await read(ctx, rmEval, c), rm0, { atol: 0, rtol: 0 }, 'eval leaves running mean');
      expectClose(await read(ctx, rvEval, c), rv0, { atol: 0, rtol: 0 }, 'eval leaves running var');
      expectClose(await read(ctx, dx, size), grads.dx, undefined, 'dx');
      expectClose(await read(ctx, dg, c), grads.dgamma, undefined, 'dgamma');
      expectClose(await read(ctx, db, c), grads.dbeta, undefined, 'dbeta');
      expectClose(await read(ctx, dxAcc, size), grads.dx, undefined, 'dx (accumulate mode overwrites)');
      expectClose(await read(ctx, dxDirect, size), grads.dx, undefined, 'dx, barrier-free reduction');
      expectClose(await read(ctx, dgDirect, c), grads.dgamma, undefined, 'dgamma, barrier-free reduction');
      expectClose(await read(ctx, dbDirect, c), grads.dbeta, undefined, 'dbeta, barrier-free reduction');
      expectClose(await read(ctx, dxOne, size), grads.dx, undefined, 'dx, finalize and dx in one dispatch');
      expectClose(await read(ctx, dgOne, c), grads.dgamma, undefined, 'dgamma, one dispatch');
      expectClose(await read(ctx, dbOne, c), grads.dbeta, undefined, 'dbeta, one dispatch');
      expectClose(await read(ctx, dxOneAcc, size), grads.dx, undefined, 'dx, one dispatch (accumulate mode overwrites dx)');
      const dgWant = grads.dgamma.map((v, i) => v + prevDg[i]);
      const dbWant = grads.dbeta.map((v, i) => v + prevDb[i]);
      expectClose(await read(ctx, dgOneAcc, c), dgWant, undefined, 'dgamma accumulated, one dispatch');
      expectClose(await read(ctx, dbOneAcc, c), dbWant, undefined, 'dbeta accumulated, one dispatch');
      expectClose(await read(ctx, dgAcc, c), dgWant, undefined, 'dgamma accumulated');
      expectClose(await read(ctx, dbAcc, c), dbWant, undefined, 'dbeta accumulated');
      releaseAndCheck(
        ctx,
        before,
        bx,
        bdy,
        bg,
        bb,
        rm,
        rv,
        rmEval,
        rvEval,
        bsCoef,
        dxOne,
        dgOne,
        dbOne,
        dxOneAcc,
        dgOneAcc,
        dbOneAcc,
        dg,
        db,
        dgAcc,
        dbAcc,
        y,
        yEval,
        dx,
        dxAcc,
        coef,
        dxDirect,
        dgDirect,
        dbDirect,
      );
    });
  }

  it('rejects training with one value per channel (like PyTorch)', async () => {
    const ctx = await gpuTestContext();
    const b = ctx.pool.acquire(256);
    const rec = new CommandRecorder(ctx);
    expect(() =>
      batchNormTrainForward(rec, b, b, b, b, { coef: b }, b, b, {
        n: 1,
        c: 2,
        h: 1,
        w: 1,
        eps: EPS,
        momentum: MOMENTUM,
      }),
    ).toThrow(/more than 1 value per channel/);
    expect(rec.length).toBe(0);
    ctx.pool.release(b);
  });
});
