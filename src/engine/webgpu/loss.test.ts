// Loss head on the GPU vs the float64 reference: mean softmax cross-entropy and its
// logits gradient (stable for large logits), argmax with ties, correct-prediction count,
// and out-of-range labels.

import { describe, expect, it } from 'vitest';
import { argmax, correctCount } from '../../gpu/kernels/argmax';
import { softmaxCrossEntropy } from '../../gpu/kernels/softmaxCrossEntropy';
import { readUint32 } from '../../gpu/readback';
import * as cpu from '../cpu/loss';
import { expectClose, F32, gpuTestContext, read, releaseAndCheck, rng, run, upload, uploadU32 } from './testing';

// [n, k]: batch 1, odd batches around the 256 boundary (two-pass batch mean at 257),
// one class (loss 0), and k = 1000 spanning many strides of the 64-thread row workgroup.
const SHAPES: [number, number][] = [
  [1, 1],
  [1, 1000],
  [7, 3],
  [7, 1000],
  [255, 10],
  [257, 3],
  [257, 1000],
];

type LogitKind = 'normal' | 'offset1e3' | 'spread1e3';

function makeLogits(n: number, k: number, kind: LogitKind, seed: number): Float64Array {
  const z = rng(seed).normalArray(n * k, kind === 'spread1e3' ? 1e3 : 3);
  if (kind === 'offset1e3') for (let i = 0; i < z.length; i++) z[i] += 1e3;
  // The reference sees exactly the f32 values the GPU sees.
  return Float64Array.from(Float32Array.from(z));
}

function labelsFor(n: number, k: number, seed: number): Uint32Array {
  const r = rng(seed);
  return Uint32Array.from({ length: n }, () => r.int(k));
}

describe('softmax cross-entropy, argmax, correct count vs float64 reference', () => {
  for (const [n, k] of SHAPES) {
    for (const kind of ['normal', 'offset1e3', 'spread1e3'] as const) {
      it(`n=${n} k=${k} logits ${kind}`, async () => {
        const ctx = await gpuTestContext();
        const before = ctx.pool.getStats().inUseBytes;
        const z = makeLogits(n, k, kind, n * 31 + k);
        const y = labelsFor(n, k, n + k);
        const [bz, by] = [upload(ctx, z), uploadU32(ctx, y)];
        const loss = ctx.pool.acquire(4);
        const dz = ctx.pool.acquire(n * k * 4);
        const pred = ctx.pool.acquire(n * 4);
        const count = uploadU32(ctx, [0, 0]);
        await run(ctx, (rec) => {
          softmaxCrossEntropy(rec, bz, by, loss, dz, { n, k });
          argmax(rec, bz, pred, { n, k });
          correctCount(rec, bz, by, count, { n, k }, { outIndex: 1 });
        });
        const ref = cpu.softmaxCrossEntropy(z, y, n, k);
        // Row losses are log(s) - (z_y - max) with s in [1, k]: a few f32 roundings plus
        // exp/log (a few ulp), so the default f32 tolerance (1e-5 abs, 1e-4 rel) applies,
        // also to losses in the thousands from logits spread by 1e3.
        expectClose(await read(ctx, loss, 1), [ref.loss], F32, 'loss');
        // dlogits carry a 1/n factor; compare n * dlogits = softmax - onehot, in [-1, 1],
        // so the absolute tolerance stays meaningful for large batches.
        const gotScaled = (await read(ctx, dz, n * k)).map((v) => v * n);
        expectClose(
          gotScaled,
          ref.dlogits.map((v) => v * n),
          F32,
          'n * dlogits',
        );
        expect(Array.from(await readUint32(ctx, pred, n)), 'argmax').toEqual(Array.from(cpu.argmax(z, n, k)));
        expect(Array.from(await readUint32(ctx, count, 2)), 'correct count').toEqual([0, cpu.correctCount(z, y, n, k)]);
        releaseAndCheck(ctx, before, bz, by, loss, dz, pred, count);
      });
    }
  }

  it('argmax takes the first maximum on ties, also across threads of the row workgroup', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const n = 9;
    const k = 1000;
    const r = rng(77);
    // Values in {0, 1, 2}: nearly every row has its maximum many times.
    const z = Float64Array.from({ length: n * k }, () => r.int(3));
    z.fill(5, 0, k); // row 0 all equal -> 0
    z.fill(-1, k, 2 * k);
    z[k + 999] = 3; // row 1: unique max in the last column
    z[k + 900] = 3; // ... now tied with column 900 (different thread) -> 900
    z.fill(-2, 2 * k, 3 * k);
    z[2 * k + 64] = 0;
    z[2 * k + 128] = 0; // row 2: same thread, strides apart -> 64
    z.fill(-3e38, 3 * k, 4 * k); // row 3: huge negative values, all tied -> 0
    const y = Uint32Array.from([0, 900, 64, 1, 0, 0, 0, 0, 0]);
    const [bz, by] = [upload(ctx, z), uploadU32(ctx, y)];
    const pred = ctx.pool.acquire(n * 4);
    const count = uploadU32(ctx, [0]);
    await run(ctx, (rec) => {
      argmax(rec, bz, pred, { n, k });
      correctCount(rec, bz, by, count, { n, k });
    });
    const want = cpu.argmax(z, n, k);
    expect(Array.from(want.subarray(0, 4)), 'reference sanity').toEqual([0, 900, 64, 0]);
    expect(Array.from(await readUint32(ctx, pred, n))).toEqual(Array.from(want));
    expect((await readUint32(ctx, count, 1))[0]).toBe(cpu.correctCount(z, y, n, k));
    releaseAndCheck(ctx, before, bz, by, pred, count);
  });

  it('argmax covers more than 65535 rows (row workgroups folded into y)', async () => {
    // The row kernels share this indexing; argmax at k = 2 is the cheapest to run here.
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const n = 65_537;
    const k = 2;
    const r = rng(99);
    const z = Float64Array.from({ length: n * k }, () => r.int(4));
    const bz = upload(ctx, z);
    const pred = ctx.pool.acquire(n * 4);
    await run(ctx, (rec) => argmax(rec, bz, pred, { n, k }));
    const got = await readUint32(ctx, pred, n);
    const want = cpu.argmax(z, n, k);
    const bad = want.findIndex((v, i) => got[i] !== v); // a loop: deep-equal of 65k items is slow
    expect(bad, bad >= 0 ? `row ${bad}: ${got[bad]} vs ${want[bad]}` : '').toBe(-1);
    releaseAndCheck(ctx, before, bz, pred);
  });

  it('out-of-range labels are never read past the row: loss and that row of dlogits are NaN', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const n = 4;
    const k = 5;
    const z = makeLogits(n, k, 'normal', 5);
    const y = Uint32Array.from([0, 7, 4, 0xffffffff]);
    const [bz, by] = [upload(ctx, z), uploadU32(ctx, y)];
    const loss = ctx.pool.acquire(4);
    const dz = ctx.pool.acquire(n * k * 4);
    const count = uploadU32(ctx, [0]);
    await run(ctx, (rec) => {
      softmaxCrossEntropy(rec, bz, by, loss, dz, { n, k });
      correctCount(rec, bz, by, count, { n, k });
    });
    const ref = cpu.softmaxCrossEntropy(z, y, n, k);
    expect(Number.isNaN(ref.loss), 'reference flags it too').toBe(true);
    expect(Number.isNaN((await read(ctx, loss, 1))[0]), 'loss is NaN').toBe(true);
    const got = await read(ctx, dz, n * k);
    for (const row of [0, 2]) {
      expectClose(got.subarray(row * k, row * k + k), ref.dlogits.subarray(row * k, row * k + k), F32, `valid row ${row}`);
    }
    for (const row of [1, 3]) expect(got.subarray(row * k, row * k + k).every(Number.isNaN), `row ${row} is NaN`).toBe(true);
    expect((await readUint32(ctx, count, 1))[0]).toBe(cpu.correctCount(z, y, n, k));
    releaseAndCheck(ctx, before, bz, by, loss, dz, count);
  });
});
