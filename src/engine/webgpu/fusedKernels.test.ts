// The kernels fusion generates vs the float64 reference on odd shapes (channels and
// planes that are not multiples of anything, batch 1, h*w = 1, more elements than one
// row of workgroups): every expression op in a generated element-wise kernel, written
// and accumulated, and BatchNorm's backward reading a fused dy (ReLU mask + residual).

import { describe, expect, it } from 'vitest';
import type { Dispatch } from '../../gpu/kernel';
import type { KernelSink } from '../../gpu/recorder';
import { batchNormBackward, type BatchNormShape } from '../../gpu/kernels/batchNorm';
import { fusedElementwise } from '../../gpu/kernels/fusedElementwise';
import { load, type FusedExpr } from '../../gpu/kernels/fusedExpr';
import * as cpu from '../cpu/batchNorm';
import { bnRecord, expectClose, gpuTestContext, read, rng, run, upload } from './testing';

const SHAPES: BatchNormShape[] = [
  { n: 1, c: 3, h: 7, w: 5 },
  { n: 2, c: 5, h: 1, w: 1 },
  { n: 3, c: 17, h: 3, w: 3 },
  // 70,805 elements: 277 workgroups of 256, the last one partial.
  { n: 5, c: 7, h: 17, w: 119 },
  // h*w % 4 == 0: the vectorised kernels (4 elements per invocation, one channel).
  { n: 1, c: 3, h: 2, w: 6 },
  { n: 3, c: 9, h: 4, w: 5 },
];

const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);
const relu = (v: number) => Math.max(v, 0);

describe('generated element-wise kernels vs float64 reference', () => {
  for (const s of SHAPES) {
    const size = s.n * s.c * s.h * s.w;
    const hw = s.h * s.w;
    it(`relu(bn(a) + s*bn(b)) + t, mask and bnGrad, written and accumulated, at n=${s.n} c=${s.c} h=${s.h} w=${s.w}`, async () => {
      const ctx = await gpuTestContext();
      const r = rng(size + s.c);
      const [a, b, g, prev] = [0, 1, 2, 3].map(() => f32(r.normalArray(size)));
      // Per-channel records: coefA/coefB as batchNormStatsFinalize writes them, gradCoef as
      // batchNormBackwardFinalize does; random but distinct per channel.
      const coef = (i: number) => f32(r.uniformArray(4 * s.c, -1.5, 1.5).map((v, j) => v + (j % 4) + i));
      const [coefA, coefB, gradCoef] = [coef(0), coef(1), coef(2)];
      const [sMul, sAdd] = [Math.fround(-0.75), Math.fround(0.3)];
      const ch = (i: number) => Math.floor(i / hw) % s.c;
      const bnRef = (x: Float64Array, k: Float64Array, i: number) => (x[i] - k[4 * ch(i)]) * k[4 * ch(i) + 1] + k[4 * ch(i) + 2];
      const cases: { e: (buf: Record<string, GPUBuffer>) => FusedExpr; want: (i: number) => number }[] = [
        {
          e: (B) => ({
            op: 'addScalar',
            a: {
              op: 'relu',
              a: {
                op: 'add',
                a: { op: 'bn', a: load(B.a), coef: B.coefA },
                b: { op: 'mulScalar', a: { op: 'bn', a: load(B.b), coef: B.coefB }, s: B.sMul },
              },
            },
            s: B.sAdd,
          }),
          want: (i) => relu(bnRef(a, coefA, i) + sMul * bnRef(b, coefB, i)) + sAdd,
        },
        {
          // ReLU backward of a residual sum: (g + a) where b > 0.
          e: (B) => ({ op: 'mask', g: { op: 'add', a: load(B.g), b: load(B.a) }, by: load(B.b) }),
          want: (i) => (b[i] > 0 ? g[i] + a[i] : 0),
        },
        {
          e: (B) => ({ op: 'bnGrad', dy: { op: 'mask', g: load(B.g), by: load(B.b) }, x: load(B.a), coef: B.gradCoef }),
          want: (i) => {
            const k = 4 * ch(i);
            const dy = b[i] > 0 ? g[i] : 0;
            return gradCoef[k] * (dy - gradCoef[k + 1] - (a[i] - gradCoef[k + 3]) * gradCoef[k + 2]);
          },
        },
      ];
      const B = {
        a: upload(ctx, a),
        b: upload(ctx, b),
        g: upload(ctx, g),
        coefA: upload(ctx, coefA),
        coefB: upload(ctx, coefB),
        gradCoef: upload(ctx, gradCoef),
        sMul: upload(ctx, [sMul]),
        sAdd: upload(ctx, [sAdd]),
      };
      const outs = cases.map(() => ctx.pool.acquire(size * 4));
      const accs = cases.map(() => upload(ctx, prev));
      await run(ctx, (rec) =>
        cases.forEach((c, i) => {
          fusedElementwise(rec, c.e(B), outs[i], size, { c: s.c, hw });
          fusedElementwise(rec, c.e(B), accs[i], size, { c: s.c, hw, accumulate: true });
        }),
      );
      for (const [i, c] of cases.entries()) {
        const want = Float64Array.from({ length: size }, (_, j) => c.want(j));
        expectClose(await read(ctx, outs[i], size), want, undefined, `case ${i}`);
        expectClose(
          await read(ctx, accs[i], size),
          want.map((v, j) => v + prev[j]),
          undefined,
          `case ${i} accumulated`,
        );
      }
      [...Object.values(B), ...outs, ...accs].forEach((buf) => ctx.pool.release(buf));
    });

    it(`BatchNorm backward with dy = relu mask of (g + h), overwrite and accumulate, at n=${s.n} c=${s.c} h=${s.h} w=${s.w}`, async () => {
      const ctx = await gpuTestContext();
      const r = rng(3 * size + s.c);
      const x = f32(r.normalArray(size).map((v, i) => 2 + v * (1 + (Math.floor(i / hw) % s.c))));
      const [g, h, out] = [0, 1, 2].map(() => f32(r.normalArray(size)));
      const gamma = f32(r.uniformArray(s.c, 0.5, 1.5));
      const ref = cpu.batchNormTrainForward(x, gamma, new Float64Array(s.c), new Float64Array(s.c), new Float64Array(s.c).fill(1), {
        ...s,
        eps: 1e-5,
        momentum: 0.1,
      });
      const [sMean, sInv] = [f32(ref.savedMean), f32(ref.savedInvStd)];
      const dy = Float64Array.from({ length: size }, (_, i) => (out[i] > 0 ? g[i] + h[i] : 0));
      const want = cpu.batchNormBackward(x, dy, gamma, sMean, sInv, s);
      const [prevDx, prevDg, prevDb] = [f32(r.normalArray(size)), f32(r.normalArray(s.c)), f32(r.normalArray(s.c))];

      const [bx, bg, bh, bout, bcoef] = [x, g, h, out, bnRecord(gamma, sMean, sInv)].map((v) => upload(ctx, v));
      const fwd = { coef: bcoef };
      const [dx, dg, db] = [ctx.pool.acquire(size * 4), ctx.pool.acquire(s.c * 4), ctx.pool.acquire(s.c * 4)];
      const [dxAcc, dgAcc, dbAcc] = [upload(ctx, prevDx), upload(ctx, prevDg), upload(ctx, prevDb)];
      const e: FusedExpr = { op: 'mask', g: { op: 'add', a: load(bg), b: load(bh) }, by: load(bout) };
      await run(ctx, (rec) => {
        batchNormBackward(rec, bx, e, fwd, dx, dg, db, s);
        batchNormBackward(rec, bx, e, fwd, dxAcc, dgAcc, dbAcc, { ...s, accumulate: true, accumulateDx: true });
      });
      expectClose(await read(ctx, dx, size), want.dx, undefined, 'dx');
      expectClose(await read(ctx, dg, s.c), want.dgamma, undefined, 'dgamma');
      expectClose(await read(ctx, db, s.c), want.dbeta, undefined, 'dbeta');
      expectClose(
        await read(ctx, dxAcc, size),
        want.dx.map((v, i) => v + prevDx[i]),
        undefined,
        'dx accumulated',
      );
      expectClose(
        await read(ctx, dgAcc, s.c),
        want.dgamma.map((v, i) => v + prevDg[i]),
        undefined,
        'dgamma accumulated',
      );
      expectClose(
        await read(ctx, dbAcc, s.c),
        want.dbeta.map((v, i) => v + prevDb[i]),
        undefined,
        'dbeta accumulated',
      );
      [bx, bg, bh, bout, bcoef, dx, dg, db, dxAcc, dgAcc, dbAcc].forEach((buf) => ctx.pool.release(buf));
    });
  }
});

describe('generated kernels: forms and limits (no GPU work)', () => {
  const dispatches: Dispatch[] = [];
  const sink = { dispatch: (d: Dispatch) => dispatches.push(d) } as unknown as KernelSink;
  const buf = (label: string) => ({ label }) as unknown as GPUBuffer;

  it('shares one pipeline between chains of the same form and binds each buffer once', () => {
    const [x1, x2, c1, c2, out] = ['x1', 'x2', 'c1', 'c2', 'out'].map(buf);
    fusedElementwise(sink, { op: 'relu', a: { op: 'bn', a: load(x1), coef: c1 } }, out, 10, { c: 2, hw: 5 });
    fusedElementwise(sink, { op: 'relu', a: { op: 'bn', a: load(x2), coef: c2 } }, out, 10, { c: 2, hw: 5 });
    fusedElementwise(sink, { op: 'add', a: load(x1), b: load(x1) }, out, 10);
    const [d1, d2, d3] = dispatches.slice(-3);
    expect(d1.kernel).toBe(d2.kernel);
    expect(d1.kernel.name).toBe('fused:relu(bn(x))');
    expect(Object.values(d2.buffers)).toEqual([x2, c2, out]);
    expect(Object.keys(d3.buffers)).toEqual(['in0', 'out']);
  });

  it('vectorises when the length and the plane size are multiples of 4, unless a buffer is read two ways', () => {
    const [x, c, s, out] = ['x', 'c', 's', 'out'].map(buf);
    fusedElementwise(sink, { op: 'relu', a: { op: 'bn', a: load(x), coef: c } }, out, 24, { c: 3, hw: 8 });
    fusedElementwise(sink, { op: 'relu', a: { op: 'bn', a: load(x), coef: c } }, out, 24, { c: 2, hw: 6 });
    fusedElementwise(sink, { op: 'mulScalar', a: load(x), s }, out, 24);
    fusedElementwise(sink, { op: 'mulScalar', a: load(x), s: x }, out, 24);
    const [wide, perChannelOdd, flat, twoWays] = dispatches.slice(-4);
    expect(wide.kernel.name).toBe('fused4:relu(bn(x))');
    expect(wide.uniforms!.n).toBe(6);
    expect(perChannelOdd.kernel.name).toBe('fused:relu(bn(x))');
    expect(flat.kernel.name).toBe('fused4:s*(x)');
    expect(twoWays.kernel.name).toBe('fused:s*(x)');
  });

  it('refuses a chain that reads more buffers than one dispatch may bind, and a per-channel one without c / hw', () => {
    const xs = Array.from({ length: 8 }, (_, i) => load(buf(`x${i}`)));
    expect(() =>
      fusedElementwise(
        sink,
        xs.reduce((a, b) => ({ op: 'add', a, b })),
        buf('out'),
        4,
      ),
    ).toThrow(/reads 8 buffers/);
    expect(() => fusedElementwise(sink, { op: 'bn', a: xs[0], coef: buf('c') }, buf('out'), 4)).toThrow(/needs c and hw/);
  });
});
