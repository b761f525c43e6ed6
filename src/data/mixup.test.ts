// Mixup in the batcher: the mixed batch is lambda * x + (1 - lambda) * x[perm] of the
// unmixed one, the labels carry the same loss, and the draws follow the seed and the
// batch position (same seed, same draws; a resumed batcher repeats them).

import { describe, expect, it } from 'vitest';
import { Batcher, type BatcherOptions } from './batcher';
import type { ImageSplit } from './dataset';
import { MixupStream } from './mixup';

const dims = { channels: 3, height: 4, width: 5 };
const per = 3 * 4 * 5;

function split(count: number): ImageSplit {
  const pixels = Uint8Array.from({ length: count * per }, (_, i) => (i * 37 + (i >> 3)) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 3) % 7);
  return { pixels, labels, count };
}

function opts(over: Partial<BatcherOptions> = {}): BatcherOptions {
  const normalize = { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
  return { batchSize: 6, seed: 4, shuffle: true, dropLast: false, normalize, augment: { flip: true, cropPad: 1 }, ...over };
}

function copyBatch(b: Batcher) {
  const r = b.next();
  const mix = r.mix && { lambda: r.mix.lambda, perm: [...r.mix.perm], second: [...r.mix.second], weight: r.mix.weight };
  return { x: Float32Array.from(r.x), labels: [...r.labels], mix };
}

describe('mixup in the batcher', () => {
  it('mixes each batch as lambda * x + (1 - lambda) * x[perm], with the short last batch too', () => {
    const data = split(15); // batches of 6, 6, 3
    const plain = new Batcher(data, dims, opts());
    const mixed = new Batcher(data, dims, opts({ mixup: 0.4 }));
    const lambdas: number[] = [];
    for (let t = 0; t < 6; t++) {
      const p = copyBatch(plain);
      const m = copyBatch(mixed);
      const n = p.labels.length;
      expect(m.mix, 'a mixed batch says how').toBeDefined();
      const { lambda, perm } = m.mix!;
      expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < per; j++) {
          const want = lambda * p.x[i * per + j] + (1 - lambda) * p.x[perm[i] * per + j];
          expect(Math.abs(m.x[i * per + j] - want)).toBeLessThan(1e-5);
        }
      }
      lambdas.push(lambda);
    }
    expect(new Set(lambdas).size).toBe(6);
  });

  it('gives labels whose weighted loss is lambda * CE(y) + (1 - lambda) * CE(y[perm]), the dominant label first', () => {
    const data = split(40);
    const plain = new Batcher(data, dims, opts());
    const mixed = new Batcher(data, dims, opts({ mixup: 1 }));
    let swapped = 0;
    for (let t = 0; t < 14; t++) {
      const y = copyBatch(plain).labels;
      const { labels, mix } = copyBatch(mixed);
      const { lambda, perm, second, weight } = mix!;
      expect(weight).toBeGreaterThanOrEqual(0.5);
      expect(weight).toBe(Math.max(lambda, 1 - lambda));
      for (let i = 0; i < y.length; i++) {
        // Per row, each class gets the same share of the loss either way.
        const share = (pairs: [number, number][]) => {
          const m = new Map<number, number>();
          for (const [label, w] of pairs) m.set(label, (m.get(label) ?? 0) + w);
          return m;
        };
        const got = share([
          [labels[i], weight],
          [second[i], 1 - weight],
        ]);
        const want = share([
          [y[i], lambda],
          [y[perm[i]], 1 - lambda],
        ]);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [label, w] of want) expect(got.get(label)).toBeCloseTo(w, 12);
        // The first label is the one with the larger share of the image.
        expect(labels[i]).toBe(lambda >= 0.5 ? y[i] : y[perm[i]]);
      }
      if (lambda < 0.5) swapped++;
    }
    expect(swapped, 'alpha 1 draws lambda < 1/2 about half the time').toBeGreaterThan(0);
  });

  it('draws the same lambdas and permutations for the same seed, others for another seed', () => {
    const data = split(30);
    const draws = (seed: number) => {
      const b = new Batcher(data, dims, opts({ seed, mixup: 0.2 }));
      return Array.from({ length: 8 }, () => copyBatch(b).mix);
    };
    const a = draws(4);
    expect(draws(4)).toEqual(a);
    const other = draws(5);
    expect(other.map((m) => m!.lambda)).not.toEqual(a.map((m) => m!.lambda));
    expect(other.map((m) => m!.perm)).not.toEqual(a.map((m) => m!.perm));
  });

  it('resumes from a saved position with the same mixed batches', () => {
    const data = split(30);
    const a = new Batcher(data, dims, opts({ mixup: 0.2 }));
    for (let t = 0; t < 7; t++) a.next();
    const saved = a.position;
    const want = Array.from({ length: 5 }, () => copyBatch(a));
    const b = new Batcher(data, dims, opts({ mixup: 0.2 }));
    b.position = saved;
    expect(Array.from({ length: 5 }, () => copyBatch(b))).toEqual(want);
  });

  it('draws lambda from Beta(alpha, alpha): mean 1/2, variance 1 / (4 (2 alpha + 1))', () => {
    const s = new MixupStream(0.2, 9);
    const xs = Array.from({ length: 20000 }, (_, i) => s.draw(0, i, 2).lambda);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    const want = 1 / (4 * 1.4);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(want / xs.length));
    expect(variance / want).toBeGreaterThan(0.95);
    expect(variance / want).toBeLessThan(1.05);
  });

  it('leaves batches unmixed at alpha 0 and refuses a negative alpha with the fix', () => {
    const data = split(12);
    const b = new Batcher(data, dims, opts({ mixup: 0 }));
    expect(b.next().mix).toBeUndefined();
    expect(() => new Batcher(data, dims, opts({ mixup: -1 }))).toThrow(
      /mixup alpha must be a finite number >= 0 \(0 turns mixup off\), got -1/,
    );
  });
});
