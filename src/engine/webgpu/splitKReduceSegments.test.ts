// Several split-K reductions in one dispatch (splitKReduceSegments) vs float64 sums: odd
// lengths (not multiples of the workgroup), 1 and many splits, written and accumulated,
// outputs at offsets into one buffer, more outputs than one row of workgroups; and the
// batch that collects them (SplitKBatch) refuses two writers of one gradient.

import { describe, expect, it } from 'vitest';
import { segmentTable, splitKReduceSegments, type SplitKSegment } from '../../gpu/kernels/splitKReduceSegments';
import { PlanningSink } from './planningSink';
import { SplitKBatch } from './splitKBatch';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload, uploadU32 } from './testing';

describe('splitKReduceSegments vs float64 reference', () => {
  it('sums each segment into its window, written or accumulated', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const r = rng(41);
    // Segments in any order of output position, partial blocks packed back to back.
    const shapes = [
      { length: 1, splits: 3, to: 900, accumulate: false },
      { length: 257, splits: 1, to: 0, accumulate: true },
      { length: 70_001, splits: 5, to: 1000, accumulate: false },
      { length: 33, splits: 128, to: 300, accumulate: true },
    ];
    let from = 0;
    const segments: SplitKSegment[] = shapes.map((s) => {
      const seg = { ...s, from };
      from += s.length * s.splits + 17; // gaps between blocks must not be read
      return seg;
    });
    const partials = r.normalArray(from).map(Math.fround);
    const outLength = 1000 + 70_001;
    const prev = r.normalArray(outLength).map(Math.fround);
    const want = Float64Array.from(prev);
    for (const s of segments)
      for (let i = 0; i < s.length; i++) {
        let sum = 0;
        for (let k = 0; k < s.splits; k++) sum += partials[s.from + k * s.length + i];
        want[s.to + i] = (s.accumulate ? prev[s.to + i] : 0) + sum;
      }
    const [bp, bo, table] = [upload(ctx, partials), upload(ctx, prev), uploadU32(ctx, segmentTable(segments))];
    await run(ctx, (rec) => splitKReduceSegments(rec, bp, bo, table, segments));
    // Outside every segment the output is untouched; inside, float32 sums of <= 128 terms.
    expectClose(await read(ctx, bo, outLength), want, { atol: 2e-6, rtol: 1e-5 }, 'out');
    releaseAndCheck(ctx, before, bp, bo, table);
  });

  it('rejects a split count below 1', () => {
    expect(() => segmentTable([{ from: 0, to: 0, length: 4, splits: 0, accumulate: false }])).toThrow(/splits must be a positive integer/);
  });

  it('batches windows of one arena and refuses two pending writers of one gradient', () => {
    const k = new PlanningSink();
    const batch = new SplitKBatch(k);
    const grad = k.virtual(4096, 'grad');
    const a = batch.partials(3 * 100 * 4);
    const b = batch.partials(2 * 10 * 4);
    expect((b as { offset: number }).offset % 256, 'windows at the storage offset alignment').toBe(0);
    batch.reduce(a, { buffer: grad, offset: 0, size: 400 }, 100, 3, false);
    expect(() => batch.reduce(b, { buffer: grad, offset: 256, size: 40 }, 10, 2, true)).toThrow(
      /two pending reductions write one gradient/,
    );
    batch.flush();
    const dispatches = k.items.filter((i) => i.kind === 'dispatch');
    expect(dispatches.map((d) => (d.kind === 'dispatch' ? d.d.kernel.name : ''))).toEqual(['splitKReduceSegments']);
  });

  it('flushes and starts a new arena past its budget', () => {
    const k = new PlanningSink();
    const batch = new SplitKBatch(k, 1024);
    const grad = k.virtual(4096, 'grad');
    const a = batch.partials(800);
    batch.reduce(a, { buffer: grad, offset: 0, size: 400 }, 100, 2, false);
    const b = batch.partials(800);
    expect(k.items.length, 'the first sums were flushed when the second window did not fit').toBe(1);
    expect((b as { buffer: unknown }).buffer).not.toBe((a as { buffer: unknown }).buffer);
    batch.reduce(b, { buffer: grad, offset: 512, size: 400 }, 100, 2, false);
    batch.flush();
    expect(k.items.length).toBe(2);
  });
});
