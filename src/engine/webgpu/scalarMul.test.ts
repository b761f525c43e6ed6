// Learnable-scalar multiply y = a*x on the GPU vs the float64 reference: forward,
// backward dx = a*dy and da = sum x*dy, with and without gradient accumulation.

import { describe, expect, it } from 'vitest';
import { elementwise } from '../../gpu/kernels/elementwise';
import { scalarMulBackward } from '../../gpu/kernels/scalarMul';
import * as cpu from '../cpu/scalarMul';
import { reduceSum } from '../cpu/reduce';
import { sumErrorBound } from './reduceBounds';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const SIZES = [1, 7, 255, 257, 100_003];

function f32(x: Float64Array): Float64Array {
  return Float64Array.from(Float32Array.from(x));
}

// y and dx are one correctly rounded f32 product each: within 1 ulp (2^-24 relative).
const ONE_PRODUCT = { atol: 0, rtol: 2 ** -23 };

describe('learnable scalar multiply vs float64 reference', () => {
  for (const n of SIZES) {
    it(`forward and backward (plain and accumulating) at n=${n}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(300 + n);
      const a = Math.fround(-0.37);
      const x = f32(r.normalArray(n));
      const dy = f32(r.normalArray(n));
      const dx0 = f32(r.normalArray(n));
      const da0 = Math.fround(0.75);
      const ba = upload(ctx, [a]);
      const [bx, bdy] = [upload(ctx, x), upload(ctx, dy)];
      const by = ctx.pool.acquire(n * 4);
      const dxPlain = ctx.pool.acquire(n * 4);
      const dxAcc = upload(ctx, dx0);
      const daPlain = upload(ctx, [123]); // must be overwritten
      const daAcc = upload(ctx, [da0]);
      await run(ctx, (rec) => {
        elementwise(rec, 'scalarMul', { scalar: ba, x: bx, out: by }, n);
        scalarMulBackward(rec, ba, bx, bdy, dxPlain, daPlain, n);
        scalarMulBackward(rec, ba, bx, bdy, dxAcc, daAcc, n, { accumulateDx: true, accumulateDa: true });
      });
      const ref = cpu.scalarMulBackward(a, x, dy);
      expectClose(await read(ctx, by, n), cpu.scalarMulForward(a, x), ONE_PRODUCT, 'y');
      expectClose(await read(ctx, dxPlain, n), ref.dx, ONE_PRODUCT, 'dx');
      // dx0 + a*dy: a rounded product then a rounded sum, each <= 2^-24 of its magnitude.
      const accRef = ref.dx.map((v, i) => v + dx0[i]);
      const got = await read(ctx, dxAcc, n);
      for (let i = 0; i < n; i++) {
        const bound = 2 ** -24 * (2 * Math.abs(ref.dx[i]) + Math.abs(accRef[i])) + 1e-30;
        if (!(Math.abs(got[i] - accRef[i]) <= bound)) expect.fail(`dx accumulate [${i}]: ${got[i]} vs ${accRef[i]}`);
      }
      const absDot = reduceSum(x.map((v, i) => Math.abs(v * dy[i])));
      const [daPlainGot] = await read(ctx, daPlain, 1);
      const [daAccGot] = await read(ctx, daAcc, 1);
      expect(Math.abs(daPlainGot - ref.da), `da ${daPlainGot} vs ${ref.da}`).toBeLessThanOrEqual(sumErrorBound(n, absDot));
      // One more rounded addition on top of the dot product's own bound.
      const accBound = sumErrorBound(n, absDot) + 2 ** -24 * (Math.abs(da0) + absDot);
      expect(Math.abs(daAccGot - (da0 + ref.da)), `da accumulated ${daAccGot}`).toBeLessThanOrEqual(accBound);
      releaseAndCheck(ctx, before, ba, bx, bdy, by, dxPlain, dxAcc, daPlain, daAcc);
    });
  }
});
