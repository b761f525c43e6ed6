import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { buildMnistBin, MNIST_BIN_PATH } from '../../../scripts/buildMnist.mjs';
import { checkDataset, type Dataset } from '../dataset';
import { errorCode } from '../formats/testFixtures';
import { decodeMnistBin } from './mnistBin';

let bytes: Uint8Array;
let d: Dataset;

beforeAll(() => {
  // Builds public/datasets/mnist.bin from the mnist package when a fresh checkout lacks it.
  buildMnistBin();
  bytes = new Uint8Array(readFileSync(MNIST_BIN_PATH as string));
  d = decodeMnistBin(bytes);
});

/** The package's raw digits, to compare against. */
function packageDigit(digit: number): number[] {
  const require = createRequire(import.meta.url);
  return (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
}

describe('built-in MNIST (public/datasets/mnist.bin)', () => {
  it('holds the 10,000 digits as a checked 7,996 / 2,004 split of 28x28 grey images', () => {
    expect(d.id).toBe('mnist');
    expect([d.channels, d.height, d.width]).toEqual([1, 28, 28]);
    expect(d.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([d.train.count, d.test.count]).toEqual([7996, 2004]);
    expect(() => checkDataset(d)).not.toThrow();
    const perClass = (labels: ArrayLike<number>) => Array.from({ length: 10 }, (_, c) => Array.from(labels).filter((l) => l === c).length);
    const total = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => packageDigit(c).length / 784);
    expect(perClass(d.train.labels)).toEqual(total.map((n) => Math.floor(n * 0.8)));
    expect(perClass(d.test.labels)).toEqual(total.map((n) => n - Math.floor(n * 0.8)));
    // Round-robin order: the first ten train images are one of each digit.
    expect(Array.from(d.train.labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('stores the exact package pixels (first train image = first 0, first test image = 801st 0)', () => {
    const zero = packageDigit(0);
    const bytesOf = (from: number) => zero.slice(from * 784, (from + 1) * 784).map((v) => Math.round(v * 255));
    expect(Array.from(d.train.pixels.subarray(0, 784))).toEqual(bytesOf(0));
    expect(Array.from(d.test.pixels.subarray(0, 784))).toEqual(bytesOf(800));
    // Real digits: mostly black background with a bright stroke.
    const first = d.train.pixels.subarray(0, 784);
    expect(first.filter((v) => v > 200).length).toBeGreaterThan(30);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(400);
  });

  it('rejects damaged or stale files with specific codes', async () => {
    const edit = (f: (b: Uint8Array, v: DataView) => void) => {
      const b = bytes.slice();
      f(b, new DataView(b.buffer));
      return b;
    };
    expect(await errorCode(() => decodeMnistBin(new Uint8Array(0)))).toBe('empty');
    expect(await errorCode(() => decodeMnistBin(bytes.subarray(0, 20)))).toBe('truncated');
    expect(await errorCode(() => decodeMnistBin(bytes.subarray(0, bytes.length - 1)))).toBe('truncated');
    expect(await errorCode(() => decodeMnistBin(edit((b) => (b[0] = 60))))).toBe('bad-magic');
    expect(() => decodeMnistBin(new TextEncoder().encode('<!doctype html><html>...</html>'))).toThrow(/HTML page/);
    expect(await errorCode(() => decodeMnistBin(edit((_, v) => v.setUint16(4, 2, true))))).toBe('unknown-format');
    expect(await errorCode(() => decodeMnistBin(edit((_, v) => v.setUint32(12, 2003, true))))).toBe('size-mismatch');
    expect(await errorCode(() => decodeMnistBin(edit((_, v) => v.setUint16(22, 0, true))))).toBe('empty');
    expect(await errorCode(() => decodeMnistBin(edit((b) => (b[32 + 7996 * 784] = 10))))).toBe('label-range');
  });
});
