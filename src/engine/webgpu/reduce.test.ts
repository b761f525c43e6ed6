// GPU reductions (sum, sum of squares, max |x|, dot, non-finite count) vs the float64
// reference, single- and multi-pass, with results at element offsets of a shared buffer.

import { describe, expect, it } from 'vitest';
import { countNonFinite, sumU32 } from '../../gpu/kernels/countNonFinite';
import { reduceDot, reduceMaxAbs, reducePartials, reduceSum, reduceSumSquares } from '../../gpu/kernels/reduce';
import { readUint32 } from '../../gpu/readback';
import * as cpu from '../cpu/reduce';
import { sumErrorBound } from './reduceBounds';
import { gpuTestContext, read, releaseAndCheck, rng, run, upload, uploadU32 } from './testing';

const SIZES = [0, 1, 7, 255, 257, 100_003];

function f32(x: Float64Array): Float64Array {
  return Float64Array.from(Float32Array.from(x));
}

describe('reductions vs float64 reference', () => {
  for (const n of SIZES) {
    it(`sum, sumSquares, maxAbs, dot at n=${n} (${reducePartials(n)} partials)`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(1000 + n);
      const x = f32(r.normalArray(n, 3));
      const y = f32(r.normalArray(n));
      // Multiples of 1/16 in [-0.5, 0.5]: every partial sum is exact in f32, so these
      // results must match bit for bit, which catches a dropped or doubled element.
      const qx = Float64Array.from({ length: n }, () => (r.int(17) - 8) / 16);
      const qy = Float64Array.from({ length: n }, () => (r.int(17) - 8) / 16);
      const bufs = [x, y, qx, qy].map((a) => upload(ctx, a));
      const out = ctx.pool.acquire(16 * 4);
      await run(ctx, (rec) => {
        reduceSum(rec, bufs[0], out, n);
        reduceSumSquares(rec, bufs[0], out, n, { outIndex: 1 });
        reduceMaxAbs(rec, bufs[0], out, n, { outIndex: 2 });
        reduceDot(rec, bufs[0], bufs[1], out, n, { outIndex: 3 });
        reduceSum(rec, bufs[2], out, n, { outIndex: 4 });
        reduceSumSquares(rec, bufs[2], out, n, { outIndex: 5 });
        reduceDot(rec, bufs[2], bufs[3], out, n, { outIndex: 6 });
        reduceMaxAbs(rec, bufs[3], out, n, { outIndex: 7 });
      });
      const got = await read(ctx, out, 8);
      const abs = x.map(Math.abs);
      const sq = x.map((v) => v * v);
      const xy = x.map((v, i) => Math.abs(v * y[i]));
      const close = (i: number, want: number, bound: number, label: string) =>
        expect(Math.abs(got[i] - want), `${label}: got ${got[i]}, want ${want}`).toBeLessThanOrEqual(bound);
      close(0, cpu.reduceSum(x), sumErrorBound(n, cpu.reduceSum(abs)), 'sum');
      close(1, cpu.reduceSumSquares(x), sumErrorBound(n, cpu.reduceSum(sq)), 'sumSquares');
      expect(got[2], 'maxAbs is exact').toBe(cpu.reduceMaxAbs(x));
      close(3, cpu.reduceDot(x, y), sumErrorBound(n, cpu.reduceSum(xy)), 'dot');
      expect(Array.from(got.subarray(4, 8)), 'exactly representable sums').toEqual([
        cpu.reduceSum(qx),
        cpu.reduceSumSquares(qx),
        cpu.reduceDot(qx, qy),
        cpu.reduceMaxAbs(qy),
      ]);
      releaseAndCheck(ctx, before, out, ...bufs);
    });
  }

  it('accumulate adds (sums) or takes the max (maxAbs); results are bitwise reproducible', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const n = 100_003;
    const x = f32(rng(7).normalArray(n));
    const bx = upload(ctx, x);
    const out = upload(ctx, [1.5, 100, 0.25, 0, 0]);
    await run(ctx, (rec) => {
      reduceSum(rec, bx, out, n, { outIndex: 0, accumulate: true });
      reduceMaxAbs(rec, bx, out, n, { outIndex: 1, accumulate: true });
      reduceMaxAbs(rec, bx, out, n, { outIndex: 2, accumulate: true });
      reduceSum(rec, bx, out, n, { outIndex: 3 });
      reduceSum(rec, bx, out, n, { outIndex: 4 });
    });
    const got = await read(ctx, out, 5);
    const s = cpu.reduceSum(x);
    expect(Math.abs(got[0] - (1.5 + s))).toBeLessThanOrEqual(sumErrorBound(n, cpu.reduceSum(x.map(Math.abs))) * 2);
    expect(got[1], 'old max kept').toBe(100);
    expect(got[2], 'new max wins').toBe(cpu.reduceMaxAbs(x));
    expect(got[3], 'same input, same bits').toBe(got[4]);
    releaseAndCheck(ctx, before, bx, out);
  });
});

describe('non-finite count by bit pattern', () => {
  // Specials the detector must classify: NaNs (quiet, signalling, negative, odd payload),
  // +-Inf, and finite edge cases (max float, denormals, -0) that must not count.
  const NON_FINITE_BITS = [0x7fc00000, 0x7f800001, 0xffc00000, 0x7fffffff, 0x7f800000, 0xff800000];
  const FINITE_BITS = [0x7f7fffff, 0xff7fffff, 0x00000001, 0x807fffff, 0x80000000, 0x00000000, 0x00800000];

  for (const n of SIZES.filter((s) => s > 0)) {
    it(`counts NaN and +-Inf but not huge, denormal or -0 values at n=${n}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(2000 + n);
      const bits = new Uint32Array(new Float32Array(r.normalArray(n)).buffer);
      let expected = 0;
      const specials = Math.min(n, 50);
      for (let s = 0; s < specials; s++) {
        const pool = r.int(2) === 0 ? NON_FINITE_BITS : FINITE_BITS;
        const at = s === 0 ? n - 1 : r.int(n); // the last element exercises the tail bound
        const wasNonFinite = (bits[at] & 0x7f800000) === 0x7f800000;
        bits[at] = pool[r.int(pool.length)];
        expected += Number(pool === NON_FINITE_BITS) - Number(wasNonFinite);
      }
      expect(cpu.countNonFinite(new Float32Array(bits.buffer)), 'float64 reference agrees').toBe(expected);
      const bx = uploadU32(ctx, bits);
      const out = uploadU32(ctx, [0, 0, 5]);
      await run(ctx, (rec) => {
        countNonFinite(rec, bx, out, n, { outIndex: 1 });
        countNonFinite(rec, bx, out, n, { outIndex: 2, accumulate: true });
      });
      expect(Array.from(await readUint32(ctx, out, 3))).toEqual([0, expected, 5 + expected]);
      releaseAndCheck(ctx, before, bx, out);
    });
  }

  it('sumU32 adds u32 values exactly past 2^24', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const n = 70_001;
    const values = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const bx = uploadU32(ctx, values);
    const out = uploadU32(ctx, [0]);
    await run(ctx, (rec) => sumU32(rec, bx, out, n));
    expect((await readUint32(ctx, out, 1))[0]).toBe(values.reduce((a, b) => a + b, 0));
    releaseAndCheck(ctx, before, bx, out);
  });
});
