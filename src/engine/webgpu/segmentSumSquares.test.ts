import { describe, it } from 'vitest';
import { segmentSumSquares } from '../../gpu/kernels/segmentSumSquares';
import * as cpu from '../cpu/reduce';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload, uploadU32 } from './testing';

describe('segmentSumSquares vs float64 reference', () => {
  it('sums each segment, including empty, 1-element and multi-pass segments', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const segs: [number, number][] = [
      [0, 1],
      [64, 0],
      [64, 257],
      [384, 1000],
      [1408, 7],
      [1472, 3000],
    ];
    const x = rng(9).normalArray(4472);
    const bx = upload(ctx, x);
    const bs = uploadU32(ctx, segs.flat());
    const out = ctx.pool.acquire(segs.length * 4);
    await run(ctx, (rec) => segmentSumSquares(rec, bx, bs, out, segs.length));
    // Each segment is a float32 tree sum of at most 3000 positive terms: relative error ~1e-6.
    expectClose(await read(ctx, out, segs.length), cpu.segmentSumSquares(x, segs), { atol: 0, rtol: 1e-5 }, 'segment sums');
    releaseAndCheck(ctx, before, bx, bs, out);
  });
});
