// Seeded stratified train/test split for uploads that bring no test set: each class
// gives round(n * testFraction) of its images to test (at least one of each class that
// has two or more, never all of them), chosen by a per-class seeded permutation. Both
// halves keep the original image order. Not the batcher's shuffling.

import { RandomStream, Streams } from '../util';
import type { ImageSplit } from './dataset';

export interface SplitOptions {
  /** Share of each class that goes to test, in (0, 1). */
  testFraction: number;
  seed: number;
}

export function stratifiedSplit(split: ImageSplit, perImage: number, opts: SplitOptions): { train: ImageSplit; test: ImageSplit } {
  const { testFraction, seed } = opts;
  if (!(typeof testFraction === 'number' && testFraction > 0 && testFraction < 1)) {
    throw new Error(`stratifiedSplit: testFraction must be a number between 0 and 1 (exclusive), got ${String(testFraction)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`stratifiedSplit: seed must be an integer in [0, 2^32), got ${String(seed)}`);
  if (split.pixels.length !== split.count * perImage || split.labels.length !== split.count) {
    throw new Error(
      `stratifiedSplit: the split has ${split.pixels.length} pixel bytes and ${split.labels.length} labels for ${split.count} images of ${perImage} bytes`,
    );
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < split.count; i++) {
    const list = byClass.get(split.labels[i]);
    if (list) list.push(i);
    else byClass.set(split.labels[i], [i]);
  }
  // Forked per class label, so one class's draw never depends on the others' sizes.
  const root = new RandomStream(seed, Streams.dataset).fork(0x5b1d);
  const isTest = new Uint8Array(split.count);
  for (const [label, members] of byClass) {
    const n = members.length;
    const k = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
    const perm = root.fork(label).permutation(n);
    for (let j = 0; j < k; j++) isTest[members[perm[j]]] = 1;
  }
  const testCount = isTest.reduce((a, b) => a + b, 0);
  return { train: pick(split, perImage, isTest, 0, split.count - testCount), test: pick(split, perImage, isTest, 1, testCount) };
}

function pick(split: ImageSplit, per: number, isTest: Uint8Array, want: number, count: number): ImageSplit {
  const pixels = new Uint8Array(count * per);
  const labels = split.labels instanceof Uint16Array ? new Uint16Array(count) : new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < split.count; i++) {
    if (isTest[i] !== want) continue;
    pixels.set(split.pixels.subarray(i * per, (i + 1) * per), at * per);
    labels[at++] = split.labels[i];
  }
  return { pixels, labels, count };
}
