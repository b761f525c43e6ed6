// The batcher: seeded order, exact resume, augmentation on hand-made images,
// normalisation values, dropLast, channel statistics and argument errors.

import { describe, expect, it } from 'vitest';
import { Batcher, channelStats, type BatcherOptions, type ImageDims } from './batcher';
import type { ImageSplit } from './dataset';

/** count 1-channel h x w images; pixel value encodes (image, position) so batches are traceable. */
function indexedSplit(count: number, h = 2, w = 2): { split: ImageSplit; dims: ImageDims } {
  const per = h * w;
  const pixels = new Uint8Array(count * per);
  for (let i = 0; i < count; i++) for (let j = 0; j < per; j++) pixels[i * per + j] = (i * 7 + j) % 256;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { split: { pixels, labels, count }, dims: { channels: 1, height: h, width: w } };
}

const identity = { mean: [0], std: [1 / 255] }; // x equals the pixel byte, exactly

function opts(over: Partial<BatcherOptions> = {}): BatcherOptions {
  return { batchSize: 4, seed: 1, shuffle: true, dropLast: false, normalize: identity, ...over };
}

/** The image index of each batch element, read back from its first pixel. */
function sourcesOf(x: Float32Array, n: number, per: number): number[] {
  return Array.from({ length: n }, (_, k) => {
    for (let i = 0; i < 256; i++) if ((i * 7) % 256 === x[k * per]) return i;
    throw new Error('not an indexed image');
  });
}

function takeBatches(b: Batcher, n: number): { x: number[]; labels: number[]; epoch: number; index: number }[] {
  return Array.from({ length: n }, () => {
    const r = b.next();
    return { x: Array.from(r.x), labels: Array.from(r.labels), epoch: r.epoch, index: r.indexInEpoch };
  });
}

describe('Batcher order', () => {
  it('gives the same batches for the same seed and different ones for another', () => {
    const { split, dims } = indexedSplit(30);
    const a = takeBatches(new Batcher(split, dims, opts()), 12);
    const b = takeBatches(new Batcher(split, dims, opts()), 12);
    const c = takeBatches(new Batcher(split, dims, opts({ seed: 2 })), 12);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('visits every image exactly once per epoch, in a new order each epoch', () => {
    const { split, dims } = indexedSplit(30);
    const b = new Batcher(split, dims, opts());
    expect(b.batchesPerEpoch).toBe(8);
    const epochs: number[][] = [[], []];
    for (let i = 0; i < 16; i++) {
      const r = b.next();
      expect(r.epoch).toBe(Math.floor(i / 8));
      expect(r.indexInEpoch).toBe(i % 8);
      expect(r.x.length).toBe((i % 8 === 7 ? 2 : 4) * 4);
      const src = sourcesOf(r.x, r.labels.length, 4);
      src.forEach((s, k) => expect(r.labels[k]).toBe(s % 10));
      epochs[r.epoch].push(...src);
    }
    for (const e of epochs) expect([...e].sort((p, q) => p - q)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(epochs[1]).not.toEqual(epochs[0]);
    expect(epochs[0]).not.toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('keeps dataset order without shuffle', () => {
    const { split, dims } = indexedSplit(10);
    const b = new Batcher(split, dims, opts({ shuffle: false, batchSize: 5 }));
    expect(sourcesOf(b.next().x, 5, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(sourcesOf(b.next().x, 5, 4)).toEqual([5, 6, 7, 8, 9]);
    expect(b.next().epoch).toBe(1);
  });

  it('drops the short last batch with dropLast', () => {
    const { split, dims } = indexedSplit(10);
    const b = new Batcher(split, dims, opts({ dropLast: true }));
    expect(b.batchesPerEpoch).toBe(2);
    const seen = takeBatches(b, 3);
    expect(seen.map((s) => [s.epoch, s.index, s.labels.length])).toEqual([
      [0, 0, 4],
      [0, 1, 4],
      [1, 0, 4],
    ]);
  });

  it('resumes from a saved position with the identical next batches, augmentation included', () => {
    const { split, dims } = indexedSplit(23, 4, 4);
    const o = opts({ batchSize: 5, augment: { flip: true, cropPad: 1 } });
    const a = new Batcher(split, dims, o);
    takeBatches(a, 7);
    const saved = a.position;
    expect(saved).toEqual({ epoch: 1, indexInEpoch: 2 });
    const rest = takeBatches(a, 9);
    const b = new Batcher(split, dims, o);
    b.position = saved;
    expect(takeBatches(b, 9)).toEqual(rest);
  });

  it('reuses its output arrays, so callers must copy', () => {
    const { split, dims } = indexedSplit(8);
    const b = new Batcher(split, dims, opts());
    const first = b.next();
    const x0 = Array.from(first.x);
    const second = b.next();
    expect(second.x).toBe(first.x);
    expect(Array.from(first.x)).not.toEqual(x0);
  });
});

describe('Batcher augmentation', () => {
  // One 1x2x3 image: rows [1 2 3] and [4 5 6].
  const tiny: ImageSplit = { pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([0]), count: 1 };
  const tinyDims = { channels: 1, height: 2, width: 3 };

  it('flips horizontally, and roughly half the time', () => {
    const b = new Batcher(tiny, tinyDims, opts({ batchSize: 1, augment: { flip: true, cropPad: 0 } }));
    let flipped = 0;
    for (let i = 0; i < 200; i++) {
      const x = Array.from(b.next().x);
      if (x[0] === 3) {
        expect(x).toEqual([3, 2, 1, 6, 5, 4]);
        flipped++;
      } else expect(x).toEqual([1, 2, 3, 4, 5, 6]);
    }
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });

  it('crops a zero-padded image at every offset in [-pad, pad], padding with pixel 0', () => {
    const b = new Batcher(tiny, tinyDims, opts({ batchSize: 1, augment: { flip: false, cropPad: 1 } }));
    const expected = new Map<string, string>();
    for (let oy = -1; oy <= 1; oy++) {
      for (let ox = -1; ox <= 1; ox++) {
        const out: number[] = [];
        for (let y = 0; y < 2; y++) {
          for (let x = 0; x < 3; x++) {
            const sy = y + oy;
            const sx = x + ox;
            out.push(sy >= 0 && sy < 2 && sx >= 0 && sx < 3 ? tiny.pixels[sy * 3 + sx] : 0);
          }
        }
        expected.set(out.join(','), `${ox},${oy}`);
      }
    }
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const key = Array.from(b.next().x).join(',');
      expect(expected.has(key), `unexpected crop ${key}`).toBe(true);
      seen.add(key);
    }
    expect(seen.size).toBe(9);
  });

  it('draws augmentation by position, independently of the data order', () => {
    // 12 images of 3x3 with no zero pixel, so zeros in a batch are exactly the padding.
    const split: ImageSplit = {
      pixels: Uint8Array.from({ length: 12 * 9 }, (_, i) => 1 + (i % 200)),
      labels: new Uint8Array(12),
      count: 12,
    };
    const dims = { channels: 1, height: 3, width: 3 };
    const aug = { flip: false, cropPad: 1 };
    const shuffled = new Batcher(split, dims, opts({ batchSize: 12, augment: aug })).next();
    const plain = new Batcher(split, dims, opts({ batchSize: 12, augment: aug, shuffle: false })).next();
    const zeros = (x: Float32Array) => Array.from(x, (v) => v === 0);
    // Different images sit at each position, yet each position gets the same crop.
    expect(zeros(shuffled.x)).toEqual(zeros(plain.x));
    expect(Array.from(shuffled.x)).not.toEqual(Array.from(plain.x));
    expect(zeros(plain.x).some((z) => z)).toBe(true);
  });
});

describe('Batcher normalisation', () => {
  it('maps pixel p of channel c to (p / 255 - mean[c]) / std[c]', () => {
    const split: ImageSplit = { pixels: Uint8Array.from([0, 255, 51, 102]), labels: Uint8Array.from([1]), count: 1 };
    const dims = { channels: 2, height: 1, width: 2 };
    const b = new Batcher(split, dims, opts({ batchSize: 1, normalize: { mean: [0.5, 0.2], std: [0.25, 0.1] } }));
    const x = Array.from(b.next().x);
    const want = [(0 - 0.5) / 0.25, (1 - 0.5) / 0.25, (0.2 - 0.2) / 0.1, (0.4 - 0.2) / 0.1];
    x.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });
});

describe('channelStats', () => {
  it('computes per-channel mean and population std on the 0..1 scale', () => {
    // Channel 0 holds 0, 255, 0, 255 -> mean 0.5, std 0.5; channel 1 is all 51 -> 0.2, and
    // std floored at one pixel level (1/255) instead of 0, which would divide by zero.
    const split: ImageSplit = { pixels: Uint8Array.from([0, 255, 51, 51, 0, 255, 51, 51]), labels: Uint8Array.from([0, 0]), count: 2 };
    const s = channelStats(split, { channels: 2, height: 1, width: 2 });
    expect(s.mean[0]).toBeCloseTo(0.5, 12);
    expect(s.std[0]).toBeCloseTo(0.5, 12);
    expect(s.mean[1]).toBeCloseTo(0.2, 12);
    expect(s.std[1]).toBeCloseTo(1 / 255, 12);
    // ... so a dataset with a constant channel still batches.
    expect(
      () =>
        new Batcher(split, { channels: 2, height: 1, width: 2 }, { batchSize: 1, seed: 0, shuffle: false, dropLast: true, normalize: s }),
    ).not.toThrow();
  });

  it('rejects dims that do not match the split', () => {
    const { split } = indexedSplit(3);
    expect(() => channelStats(split, { channels: 3, height: 2, width: 2 })).toThrow(/pixel bytes/);
  });
});

describe('Batcher errors', () => {
  const { split, dims } = indexedSplit(10);
  const cases: [string, () => unknown, RegExp][] = [
    ['batch size 0', () => new Batcher(split, dims, opts({ batchSize: 0 })), /batchSize must be a positive integer/],
    ['fractional seed', () => new Batcher(split, dims, opts({ seed: 0.5 })), /seed must be an integer/],
    [
      'wrong mean length',
      () => new Batcher(split, dims, opts({ normalize: { mean: [0, 0], std: [1, 1] } })),
      /one number per channel \(1\)/,
    ],
    ['zero std', () => new Batcher(split, dims, opts({ normalize: { mean: [0], std: [0] } })), /std\[0\] must be a positive/],
    [
      'crop pad too big',
      () => new Batcher(split, dims, opts({ augment: { flip: false, cropPad: 2 } })),
      /cropPad must be an integer from 0 to 1/,
    ],
    ['wrong dims', () => new Batcher(split, { channels: 3, height: 2, width: 2 }, opts()), /pass the dims/],
    ['dropLast with too big a batch', () => new Batcher(split, dims, opts({ batchSize: 11, dropLast: true })), /leaves no batch/],
    ['empty split', () => new Batcher({ pixels: new Uint8Array(0), labels: new Uint8Array(0), count: 0 }, dims, opts()), /no images/],
  ];
  for (const [name, make, msg] of cases) it(`rejects ${name}`, () => expect(make).toThrow(msg));

  it('rejects a position outside the epoch', () => {
    const b = new Batcher(split, dims, opts());
    expect(() => (b.position = { epoch: 0, indexInEpoch: 3 })).toThrow(/indexInEpoch must be an integer in \[0, 3\)/);
    expect(() => (b.position = { epoch: -1, indexInEpoch: 0 })).toThrow(/epoch must be a non-negative integer/);
  });
});
