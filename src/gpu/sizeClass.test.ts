import { describe, expect, it } from 'vitest';
import { sizeClass } from './sizeClass';

describe('sizeClass', () => {
  it('rounds up to at least 256 bytes, 256-aligned', () => {
    for (const n of [0, 1, 4, 255, 256, 257, 1000, 4097, 123_457, 10_000_000]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(Math.max(n, 256));
      expect(c % 256).toBe(0);
    }
  });
  it('wastes at most 25% above 1 KiB', () => {
    for (let n = 1024; n < 50_000_000; n = Math.floor(n * 1.37) + 3) {
      expect(sizeClass(n) / n).toBeLessThanOrEqual(1.25 + 1e-9);
    }
  });
  it('maps nearby sizes to the same class', () => {
    expect(sizeClass(4000)).toBe(sizeClass(4096));
    expect(sizeClass(5000)).toBe(sizeClass(5120));
  });
  it('rejects negative and non-finite sizes', () => {
    expect(() => sizeClass(-1)).toThrow(RangeError);
    expect(() => sizeClass(Number.NaN)).toThrow(RangeError);
  });
});
