// The eval-mode BatchNorm input gradient (running statistics as constants) against the
// float64 CPU op table, overwrite and accumulate, on odd shapes including batch 1 and
// h*w = 1, and a negative gamma.

import { describe, expect, it } from 'vitest';
import { CommandRecorder } from '../../gpu/recorder';
import { batchNormEvalBackward } from '../../gpu/kernels/batchNorm';
import { cpuOps } from '../cpu/opTable';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const ATTRS = { eps: 1e-5, momentum: 0.1 };
const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);

const SHAPES = [
  { n: 1, c: 3, h: 7, w: 5 },
  { n: 4, c: 1, h: 3, w: 3 },
  { n: 3, c: 16, h: 1, w: 1 },
  { n: 2, c: 5, h: 9, w: 7 },
];

describe('batchNormEvalBackward vs float64 reference', () => {
  for (const s of SHAPES) {
    it(`dx overwrite and accumulate at n=${s.n} c=${s.c} h=${s.h} w=${s.w}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const size = s.n * s.c * s.h * s.w;
      const r = rng(size * 7 + s.c);
      const x = f32(r.normalArray(size));
      const dy = f32(r.normalArray(size));
      // Negative gammas and small variances so a sign or sqrt slip cannot pass.
      const gamma = f32(r.uniformArray(s.c, -1.5, 1.5));
      const beta = f32(r.normalArray(s.c));
      const rm = f32(r.normalArray(s.c));
      const rv = f32(r.uniformArray(s.c, 0.01, 3));
      const prev = f32(r.normalArray(size));
      const shapes = [[s.n, s.c, s.h, s.w], [s.c], [s.c], [s.c], [s.c]];
      const inputs = [x, gamma, beta, rm, rv];
      const { out, saved } = cpuOps.batchNorm.forward(inputs, shapes, ATTRS, 'eval');
      const [ref] = cpuOps.batchNorm.backward(dy, inputs, out, saved, shapes, ATTRS);

      const [bdy, bg, brv, garbage, acc] = [
        upload(ctx, dy),
        upload(ctx, gamma),
        upload(ctx, rv),
        upload(ctx, new Float64Array(size).fill(1e3)),
        upload(ctx, prev),
      ];
      await run(ctx, (rec) => {
        batchNormEvalBackward(rec, bdy, bg, brv, garbage, { ...s, eps: ATTRS.eps });
        batchNormEvalBackward(rec, bdy, bg, brv, acc, { ...s, eps: ATTRS.eps, accumulate: true });
      });
      expectClose(await read(ctx, garbage, size), ref!, undefined, 'dx');
      expectClose(
        await read(ctx, acc, size),
        ref!.map((v, i) => v + prev[i]),
        undefined,
        'dx accumulated',
      );
      releaseAndCheck(ctx, before, bdy, bg, brv, garbage, acc);
    });
  }

  it('rejects an empty shape before recording anything', async () => {
    const ctx = await gpuTestContext();
    const b = ctx.pool.acquire(256);
    const rec = new CommandRecorder(ctx);
    expect(() => batchNormEvalBackward(rec, b, b, b, b, { n: 0, c: 2, h: 1, w: 1, eps: 1e-5 })).toThrow(/n must be a positive integer/);
    expect(rec.length).toBe(0);
    ctx.pool.release(b);
  });
});
