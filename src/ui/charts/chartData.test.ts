// Series shaping behind the charts: smoothing, downsampling, alignment, domains, CSV.
import { describe, expect, it } from 'vitest';
import {
  alignRows,
  emaSmooth,
  formatNumber,
  fractionalEpochs,
  logDomain,
  lastAtOrBefore,
  minMaxIndices,
  pluck,
  rowsToCsv,
} from './chartData';

describe('emaSmooth', () => {
  it('is the identity at weight 0', () => {
    expect([...emaSmooth([3, 1, 4, 1, 5], 0)]).toEqual([3, 1, 4, 1, 5]);
  });
  it('is debiased: starts at the first value and keeps a constant constant', () => {
    const s = emaSmooth([2, 2, 2, 2], 0.9);
    for (const v of s) expect(v).toBeCloseTo(2, 12);
  });
  it('matches the debiased recurrence', () => {
    const w = 0.6;
    const s = emaSmooth([1, 3], w);
    expect(s[0]).toBeCloseTo(1, 12);
    // ((1-w)*1*w + (1-w)*3) / (1 - w^2)
    expect(s[1]).toBeCloseTo(((1 - w) * w + (1 - w) * 3) / (1 - w * w), 12);
  });
  it('passes non-finite values through without poisoning the rest', () => {
    const s = emaSmooth([1, NaN, 1, Infinity, 1], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    expect(s[3]).toBe(Infinity);
    expect(s[4]).toBeCloseTo(1, 12);
  });
  it('clamps the weight to 0.999', () => {
    const s = emaSmooth([0, 1000], 5);
    expect(s[1]).toBeGreaterThan(400);
    expect(s[1]).toBeLessThan(600);
  });
});

describe('minMaxIndices', () => {
  const noisy = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i / 500) + 0.1 * Math.sin(i * 12.9898));
  it('keeps everything when short', () => {
    expect(minMaxIndices([5, 4, 3], 10)).toEqual([0, 1, 2]);
  });
  it('bounds the output, keeps it ascending, and keeps the extremes and the ends', () => {
    const ys = noisy(100_000);
    ys[31_337] = 50;
    ys[77_777] = -50;
    const idx = minMaxIndices(ys, 1500);
    expect(idx.length).toBeLessThanOrEqual(1502);
    expect(idx.length).toBeGreaterThan(1000);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
    expect(idx).toContain(31_337);
    expect(idx).toContain(77_777);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(99_999);
  });
  it('keeps every bucket extreme (the shape survives)', () => {
    const ys = noisy(10_000);
    const idx = minMaxIndices(ys, 100);
    const kept = new Set(idx);
    for (let b = 0; b < 50; b++) {
      const slice = Array.from(ys.subarray(b * 200, (b + 1) * 200));
      const max = Math.max(...slice);
      const min = Math.min(...slice);
      expect(kept.has(b * 200 + slice.indexOf(max))).toBe(true);
      expect(kept.has(b * 200 + slice.indexOf(min))).toBe(true);
    }
  });
  it('never picks non-finite samples', () => {
    const ys = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? NaN : i));
    ys[999] = Infinity;
    for (const i of minMaxIndices(ys, 50)) expect(Number.isFinite(ys[i])).toBe(true);
  });
});

describe('alignRows', () => {
  it('puts every run on the union of kept x values, matching exact x only', () => {
    const rows = alignRows(
      [
        { xs: [0, 1, 2, 3], cols: { a: [10, 11, 12, 13] }, pick: 'a' },
        { xs: [1, 3, 5], cols: { b: [21, 23, 25], bs: [1, 2, 3] }, pick: 'b' },
      ],
      100,
    );
    expect(rows.map((r) => r.x)).toEqual([0, 1, 2, 3, 5]);
    expect(rows[1]).toEqual({ x: 1, a: 11, b: 21, bs: 1 });
    expect(rows[2]).toEqual({ x: 2, a: 12 });
    expect(rows[4]).toEqual({ x: 5, b: 25, bs: 3 });
  });
  it('downsamples long runs but keeps their extremes', () => {
    const n = 20_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((i) => (i === 12_345 ? 99 : Math.cos(i / 100)));
    const rows = alignRows([{ xs, cols: { y: ys }, pick: 'y' }], 1500);
    expect(rows.length).toBeLessThanOrEqual(1502);
    expect(rows.find((r) => r.x === 12_345)?.y).toBe(99);
  });
});

describe('logDomain', () => {
  it('spans whole decades', () => {
    expect(logDomain([0.03, 2, 40])).toEqual([0.01, 100]);
  });
  it('gives one value a decade either side and ignores non-positive values', () => {
    expect(logDomain([1, 0, -3, NaN, 1])).toEqual([0.1, 10]);
    expect(logDomain([0, -1])).toBeUndefined();
  });
});

describe('fractionalEpochs', () => {
  it('spreads steps across their epoch', () => {
    const pts = [0, 1, 2, 3, 4, 5].map((step) => ({ step, epoch: Math.floor(step / 4) }));
    expect([...fractionalEpochs(pts)]).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });
  it('works within a single, unfinished epoch', () => {
    const pts = [0, 1, 2, 3].map((step) => ({ step, epoch: 0 }));
    expect([...fractionalEpochs(pts)]).toEqual([0, 0.25, 0.5, 0.75]);
  });
});

describe('rowsToCsv', () => {
  it('writes a header, blanks missing cells and quotes what needs it', () => {
    const csv = rowsToCsv(
      [
        { x: 1, a: 0.5 },
        { x: 2, b: 'he, "x"' },
      ],
      [
        { key: 'x', header: 'step' },
        { key: 'a', header: 'risotto(alpha=1)' },
        { key: 'b', header: 'b' },
      ],
    );
    expect(csv).toBe('step,risotto(alpha=1),b\n1,0.5,\n2,,"he, ""x"""\n');
  });
});

describe('formatNumber', () => {
  it('is short', () => {
    expect(formatNumber(3.2e-7)).toBe('3.2e-7');
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(1234.5)).toBe('1230');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatNumber(Infinity)).toBe('∞');
  });
});

describe('pluck', () => {
  it('reads one field into a typed array', () => {
    expect([...pluck([{ a: 1 }, { a: 2.5 }], (o) => o.a)]).toEqual([1, 2.5]);
  });
});

describe('lastAtOrBefore', () => {
  it('finds the latest evaluation at or before a step', () => {
    const evals = [0, 100, 200].map((step) => ({ step }));
    expect(lastAtOrBefore(evals, 150)).toBe(1);
    expect(lastAtOrBefore(evals, 200)).toBe(2);
    expect(lastAtOrBefore(evals, 999)).toBe(2);
    expect(lastAtOrBefore(evals, -1)).toBe(-1);
    expect(lastAtOrBefore([], 5)).toBe(-1);
  });
});
