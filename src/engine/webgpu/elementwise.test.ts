import { describe, it } from 'vitest';
import { axpby } from '../../gpu/kernels/axpby';
import { axpbyInPlace } from '../../gpu/kernels/axpbyInPlace';
import { reluBackward } from '../../gpu/kernels/reluBackward';
import { reluForward } from '../../gpu/kernels/reluForward';
import { scale } from '../../gpu/kernels/scale';
import { scalarAdd } from '../../gpu/kernels/scalarAdd';
import * as cpu from '../cpu/elementwise';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const SIZES = [1, 7, 255, 257, 1000, 65537];

describe('element-wise kernels vs float64 reference', () => {
  for (const n of SIZES) {
    it(`relu forward/backward, scale, axpby, in-place axpby, scalarAdd at n=${n}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(n);
      const x = r.normalArray(n);
      const y = r.normalArray(n);
      const [bx, by] = [upload(ctx, x), upload(ctx, y)];
      const bb = upload(ctx, [-0.75]);
      const outs = Array.from({ length: 5 }, () => ctx.pool.acquire(n * 4));
      const acc = upload(ctx, y);
      await run(ctx, (rec) => {
        reluForward(rec, bx, outs[0], n);
        reluBackward(rec, bx, by, outs[1], n);
        scale(rec, -2.5, bx, outs[2], n);
        axpby(rec, 0.5, bx, -3, by, outs[3], n);
        axpbyInPlace(rec, 2, bx, 0.25, acc, n);
        scalarAdd(rec, bb, bx, outs[4], n);
      });
      expectClose(await read(ctx, outs[0], n), cpu.reluForward(x), undefined, 'relu');
      expectClose(await read(ctx, outs[1], n), cpu.reluBackward(x, y), undefined, 'reluBackward');
      expectClose(await read(ctx, outs[2], n), cpu.scale(-2.5, x), undefined, 'scale');
      expectClose(await read(ctx, outs[3], n), cpu.axpby(0.5, x, -3, y), undefined, 'axpby');
      expectClose(await read(ctx, acc, n), cpu.axpby(2, x, 0.25, y), undefined, 'axpbyInPlace');
      expectClose(await read(ctx, outs[4], n), cpu.scalarAdd(-0.75, x), undefined, 'scalarAdd');
      releaseAndCheck(ctx, before, bx, by, bb, acc, ...outs);
    });
  }

  it('folds large dispatches into a 2-D grid (more than 65535 workgroups of 1)', async () => {
    const { grid1d } = await import('../../gpu/kernels/common');
    const [gx, gy] = grid1d(70_000 * 256);
    if (!(gx <= 65535 && gy > 1 && gx * gy * 256 >= 70_000 * 256)) throw new Error(`bad grid ${gx}x${gy}`);
  });
});
