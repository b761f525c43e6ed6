import { describe, expect, it } from 'vitest';
import type { ImageSplit } from './dataset';
import { stratifiedSplit } from './split';

/** `counts[c]` images of class c, classes interleaved; pixel byte = image index & 255. */
function split(counts: number[], per = 2): ImageSplit {
  const labels: number[] = [];
  for (let i = 0; labels.length < counts.reduce((a, b) => a + b, 0); i++) {
    counts.forEach((n, c) => {
      if (i < n) labels.push(c);
    });
  }
  const pixels = new Uint8Array(labels.length * per);
  for (let i = 0; i < labels.length; i++) pixels.fill(i & 255, i * per, (i + 1) * per);
  return { pixels, labels: Uint8Array.from(labels), count: labels.length };
}

const countOf = (s: ImageSplit, c: number) => Array.from(s.labels).filter((l) => l === c).length;

describe('stratifiedSplit', () => {
  it('holds out round(n * fraction) of every class, and one of each class of two or more', () => {
    const { train, test } = stratifiedSplit(split([50, 10, 3, 1]), 2, { testFraction: 0.2, seed: 1 });
    expect([0, 1, 2, 3].map((c) => countOf(test, c))).toEqual([10, 2, 1, 0]);
    expect([0, 1, 2, 3].map((c) => countOf(train, c))).toEqual([40, 8, 2, 1]);
    expect(train.pixels.length).toBe(train.count * 2);
  });

  it('is a partition that keeps the original order and each image whole', () => {
    const whole = split([30, 30]);
    const { train, test } = stratifiedSplit(whole, 2, { testFraction: 0.3, seed: 9 });
    const ids = (s: ImageSplit) => Array.from({ length: s.count }, (_, i) => s.pixels[2 * i]);
    const all = [...ids(train), ...ids(test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(ids(train)).toEqual([...ids(train)].sort((a, b) => a - b));
    for (let i = 0; i < test.count; i++) expect(test.labels[i]).toBe(whole.labels[test.pixels[2 * i]]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const whole = split([40, 40]);
    const a = stratifiedSplit(whole, 2, { testFraction: 0.25, seed: 3 }).test.pixels;
    const b = stratifiedSplit(whole, 2, { testFraction: 0.25, seed: 3 }).test.pixels;
    const c = stratifiedSplit(whole, 2, { testFraction: 0.25, seed: 4 }).test.pixels;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('keeps 16-bit labels 16-bit and rejects bad options', () => {
    const s: ImageSplit = { pixels: new Uint8Array(4), labels: Uint16Array.from([300, 300, 1, 1]), count: 4 };
    expect(stratifiedSplit(s, 1, { testFraction: 0.5, seed: 0 }).test.labels).toBeInstanceOf(Uint16Array);
    expect(() => stratifiedSplit(s, 1, { testFraction: 1, seed: 0 })).toThrow(/testFraction must be a number between 0 and 1/);
    expect(() => stratifiedSplit(s, 1, { testFraction: 0.2, seed: -1 })).toThrow(/seed/);
    expect(() => stratifiedSplit(s, 2, { testFraction: 0.2, seed: 0 })).toThrow(/pixel bytes/);
  });
});
