// The synthetic shapes dataset: reproducible bytes, exact class balance, classes that
// really differ, and clear errors for bad options. Speed is for bench/, not asserted here.

import { describe, expect, it } from 'vitest';
import { checkDataset, imageBytes } from './dataset';
import { makeSyntheticShapes, SHAPE_CLASS_NAMES } from './synthetic';

describe('makeSyntheticShapes', () => {
  it('has the declared shape and passes checkDataset', () => {
    const d = makeSyntheticShapes({ trainCount: 50, testCount: 20 });
    expect(d.id).toBe('shapes');
    expect([d.channels, d.height, d.width]).toEqual([3, 32, 32]);
    expect(d.classNames).toEqual([...SHAPE_CLASS_NAMES]);
    expect(d.train.count).toBe(50);
    expect(d.test.count).toBe(20);
    expect(() => checkDataset(d)).not.toThrow();
  });

  it('gives byte-identical data for the same seed and different data for another', () => {
    const a = makeSyntheticShapes({ seed: 7, trainCount: 40, testCount: 10 });
    const b = makeSyntheticShapes({ seed: 7, trainCount: 40, testCount: 10 });
    const c = makeSyntheticShapes({ seed: 8, trainCount: 40, testCount: 10 });
    expect(Buffer.from(a.train.pixels).equals(Buffer.from(b.train.pixels))).toBe(true);
    expect(Buffer.from(a.test.pixels).equals(Buffer.from(b.test.pixels))).toBe(true);
    expect(Buffer.from(a.train.pixels).equals(Buffer.from(c.train.pixels))).toBe(false);
  });

  it('keeps each image independent of the split sizes, and train apart from test', () => {
    const small = makeSyntheticShapes({ seed: 3, trainCount: 10, testCount: 5 });
    const big = makeSyntheticShapes({ seed: 3, trainCount: 30, testCount: 9 });
    const per = imageBytes(small);
    expect(Array.from(big.train.pixels.subarray(0, 10 * per))).toEqual(Array.from(small.train.pixels));
    expect(Array.from(big.test.pixels.subarray(0, 5 * per))).toEqual(Array.from(small.test.pixels));
    expect(Array.from(small.train.pixels.subarray(0, per))).not.toEqual(Array.from(small.test.pixels.subarray(0, per)));
  });

  it('balances the classes exactly when the count is a multiple of ten', () => {
    const d = makeSyntheticShapes({ trainCount: 200, testCount: 30 });
    const counts = new Array(10).fill(0);
    for (const l of d.train.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(20));
  });

  it('makes classes that differ in shape statistics, not just by chance', () => {
    // Colours are random, so raw mean images barely differ; instead binarise each image
    // against its corner colour and measure area and edge directions. Two identical
    // classes would give |z| < 3 on every feature about 98% of the time.
    const d = makeSyntheticShapes({ seed: 1, trainCount: 2000, testCount: 0 });
    const nf = 6;
    const sum = Array.from({ length: 10 }, () => new Float64Array(nf));
    const sumSq = Array.from({ length: 10 }, () => new Float64Array(nf));
    const n = new Array(10).fill(0);
    for (let i = 0; i < d.train.count; i++) {
      const l = d.train.labels[i];
      const f = shapeFeatures(d.train.pixels, i, d.width);
      n[l]++;
      for (let k = 0; k < nf; k++) {
        sum[l][k] += f[k];
        sumSq[l][k] += f[k] * f[k];
      }
    }
    const mean = sum.map((s, l) => s.map((v) => v / n[l]));
    const se = sumSq.map((s, l) => s.map((v, k) => Math.sqrt(Math.max(0, v / n[l] - mean[l][k] ** 2) / n[l])));
    for (let a = 0; a < 10; a++) {
      for (let b = a + 1; b < 10; b++) {
        let z = 0;
        for (let k = 0; k < nf; k++) z = Math.max(z, Math.abs(mean[a][k] - mean[b][k]) / Math.hypot(se[a][k], se[b][k]));
        expect(z, `${SHAPE_CLASS_NAMES[a]} vs ${SHAPE_CLASS_NAMES[b]}`).toBeGreaterThan(3);
      }
    }
  });

  it('varies colour within a class so colour alone does not give the class away', () => {
    const d = makeSyntheticShapes({ seed: 2, trainCount: 100, testCount: 0 });
    const per = imageBytes(d);
    const corners = new Set<number>();
    for (let i = 0; i < d.train.count; i += 10) corners.add(d.train.pixels[i * per]);
    expect(corners.size).toBeGreaterThan(5);
  });

  it('supports another image size', () => {
    const d = makeSyntheticShapes({ size: 20, trainCount: 10, testCount: 10 });
    expect(d.train.pixels.length).toBe(10 * 3 * 20 * 20);
    expect(() => checkDataset(d)).not.toThrow();
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => makeSyntheticShapes({ seed: -1 })).toThrow(/seed must be an integer/);
    expect(() => makeSyntheticShapes({ seed: 1.5 })).toThrow(/seed/);
    expect(() => makeSyntheticShapes({ trainCount: 2.5 })).toThrow(/trainCount must be a non-negative integer/);
    expect(() => makeSyntheticShapes({ testCount: -3 })).toThrow(/testCount/);
    expect(() => makeSyntheticShapes({ size: 4 })).toThrow(/size must be an integer from 12 to 256/);
  });
});

/** Area and edge-direction statistics of image i's foreground (pixels far from the corner colour). */
function shapeFeatures(pixels: Uint8Array, i: number, size: number): number[] {
  const plane = size * size;
  const base = i * 3 * plane;
  const fg = new Uint8Array(plane);
  for (let j = 0; j < plane; j++) {
    let dist = 0;
    for (let c = 0; c < 3; c++) dist += Math.abs(pixels[base + c * plane + j] - pixels[base + c * plane]);
    fg[j] = dist > 100 ? 1 : 0;
  }
  let area = 0;
  let h = 0;
  let v = 0;
  let diag = 0;
  let anti = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const f = fg[y * size + x];
      area += f;
      if (x + 1 < size) h += Number(f !== fg[y * size + x + 1]);
      if (y + 1 < size) v += Number(f !== fg[(y + 1) * size + x]);
      if (x + 1 < size && y + 1 < size) {
        diag += Number(f !== fg[(y + 1) * size + x + 1]);
        anti += Number(fg[y * size + x + 1] !== fg[(y + 1) * size + x]);
      }
    }
  }
  return [area / plane, h / plane, v / plane, Math.abs(h - v) / plane, Math.abs(diag - anti) / plane, (diag + anti) / Math.max(1, h + v)];
}
