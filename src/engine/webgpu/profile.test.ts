// The GPU profile: a program encoded with a DispatchProfiler computes exactly what it
// computes without one, every dispatch gets a GPU-timed pass, and the per-kind table
// sums them with the FLOPs the conv and matmul kernels declare.

import { describe, expect, it } from 'vitest';
import { conv2dForward } from '../../gpu/kernels/conv2dForward';
import { matmul } from '../../gpu/kernels/matmul';
import { DispatchProfiler } from '../../gpu/profile';
import { byKernelKind, PROFILE_CSV_COLUMNS, profileCells, profileProblem } from './profile';
import { CommandRecorder } from '../../gpu/recorder';
import { gpuTestContext, read, rng, upload } from './testing';

describe('GPU profile (timestamp queries)', () => {
  it('times every dispatch without changing the results; FLOPs and shares add up', { timeout: 120_000 }, async () => {
    const ctx = await gpuTestContext();
    // This adapter must offer timestamps: a silent pass would hide a missing profile.
    expect(profileProblem(ctx.features)).toBeUndefined();
    const r = rng(3);
    const shape = { n: 1, cin: 3, h: 9, w: 7, cout: 5, kh: 3, kw: 3, stride: 2, pad: 1 };
    const [ho, wo] = [5, 4];
    const x = upload(ctx, r.normalArray(3 * 9 * 7));
    const w = upload(ctx, r.normalArray(5 * 3 * 9));
    const a = upload(ctx, r.normalArray(13 * 17));
    const b = upload(ctx, r.normalArray(17 * 11));
    const outputs = () => [ctx.pool.acquire(4 * 5 * ho * wo), ctx.pool.acquire(4 * 13 * 11)];
    const record = ([y, c]: GPUBuffer[]) => {
      const rec = new CommandRecorder(ctx);
      conv2dForward(rec, x, w, y, shape, { variant: 'gemm16' });
      matmul(rec, a, b, c, { m: 13, n: 11, k: 17 });
      return rec.record('profiled');
    };

    const plain = outputs();
    const p1 = record(plain);
    p1.run();
    const timed = outputs();
    const p2 = record(timed);
    const profiler = new DispatchProfiler(ctx.device, p2.dispatchCount);
    const encoder = ctx.device.createCommandEncoder();
    p2.encode(encoder, profiler);
    profiler.resolve(encoder);
    ctx.device.queue.submit([encoder.finish()]);
    const times = await profiler.read();

    expect(await read(ctx, timed[0], 5 * ho * wo)).toEqual(await read(ctx, plain[0], 5 * ho * wo));
    expect(await read(ctx, timed[1], 13 * 11)).toEqual(await read(ctx, plain[1], 13 * 11));
    expect(times.map((t) => t.name.replace(/\(.*\)$/, ''))).toEqual(['conv2dForward', times[1].name]);
    expect(times[1].name).toMatch(/^matmul/);
    expect(times.every((t) => t.ns > 0)).toBe(true);
    expect(times[0].flops).toBe(2 * 5 * (ho * wo) * (3 * 9));
    expect(times[1].flops).toBe(2 * 13 * 11 * 17);

    const rows = byKernelKind(times);
    expect(rows.reduce((s, k) => s + k.share, 0)).toBeCloseTo(1, 12);
    expect(rows.reduce((s, k) => s + k.dispatches, 0)).toBe(2);
    const conv = rows.find((k) => k.kind === 'conv2dForward')!;
    expect(conv.gflops).toBeCloseTo(times[0].flops! / times[0].ns, 9);
    expect(conv.ms).toBeCloseTo(times[0].ns / 1e6, 12);
    expect(PROFILE_CSV_COLUMNS).toEqual(['kernel', 'dispatches', 'ms', 'share', 'gflops']);
    expect(profileCells(conv).slice(0, 2)).toEqual(['conv2dForward', '1']);
    for (const buf of [...plain, ...timed]) ctx.pool.release(buf);
    p1.destroy();
    p2.destroy();
  });

  it('sums kinds over variants, leaves GFLOP/s out where no dispatch declares FLOPs, and refuses adapters without timestamps', () => {
    const rows = byKernelKind([
      { name: 'conv2dForward(TM=16)', flops: 2e6, ns: 1e6 },
      { name: 'conv2dForward(TM=64)', flops: 6e6, ns: 1e6 },
      { name: 'relu', ns: 2e6 },
    ]);
    expect(rows).toEqual([
      { kind: 'conv2dForward', dispatches: 2, ms: 2, share: 0.5, gflops: 4 },
      { kind: 'relu', dispatches: 1, ms: 2, share: 0.5 },
    ]);
    expect(profileProblem(new Set())).toMatch(/timestamp queries/);
  });
});
