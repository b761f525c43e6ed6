import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASS_NAMES, looksLikeIdx, parseIdx, parseIdxFiles } from './idx';
import { errorCode, idxImages, idxLabels } from './testFixtures';

describe('IDX (MNIST-style)', () => {
  it('reads the header dims big-endian and returns the data as a view', () => {
    const arr = parseIdx({ name: 'x-images-idx3-ubyte', bytes: idxImages(3, 2, 5) });
    expect(arr.dims).toEqual([3, 2, 5]);
    expect(arr.data.length).toBe(30);
    expect(arr.data[11]).toBe((1 + 1) & 255);
    expect(looksLikeIdx(idxLabels([1]))).toBe(true);
    expect(looksLikeIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 0]))).toBe(false);
  });

  it('pairs images with labels, plain or gzipped, train and t10k', () => {
    const parsed = parseIdxFiles([
      { name: 'train-images-idx3-ubyte', bytes: idxImages(4, 3, 3) },
      { name: 'train-labels-idx1-ubyte', bytes: idxLabels([0, 1, 2, 3]) },
      { name: 't10k-images-idx3-ubyte', bytes: gzipSync(idxImages(2, 3, 3)) },
      { name: 't10k-labels-idx1-ubyte', bytes: gzipSync(idxLabels([9, 8])) },
    ]);
    expect([parsed.channels, parsed.height, parsed.width]).toEqual([1, 3, 3]);
    expect(parsed.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(parsed.train!.count).toBe(4);
    expect(Array.from(parsed.test!.labels)).toEqual([9, 8]);
    expect(parsed.test!.pixels[9 + 4]).toBe((1 + 4) & 255);
  });

  it('uses the Fashion-MNIST names when the files say fashion, and checks labels against them', async () => {
    const files = [
      { name: 'fashion/train-images.idx3-ubyte', bytes: idxImages(2, 2, 2) },
      { name: 'fashion/train-labels.idx1-ubyte', bytes: idxLabels([9, 0]) },
    ];
    expect(parseIdxFiles(files).classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    files[1] = { name: 'fashion/train-labels.idx1-ubyte', bytes: idxLabels([10, 0]) };
    expect(await errorCode(() => parseIdxFiles(files))).toBe('label-range');
  });

  it('rejects broken and mismatched files with specific codes', async () => {
    const pair = (images: Uint8Array, labels: Uint8Array) => () =>
      parseIdxFiles([
        { name: 'train-images-idx3-ubyte', bytes: images },
        { name: 'train-labels-idx1-ubyte', bytes: labels },
      ]);
    expect(await errorCode(pair(idxImages(3, 2, 2), idxLabels([1, 2])))).toBe('count-mismatch');
    // Right magic, plausible dims that do not fit the bytes that follow.
    expect(await errorCode(pair(idxImages(3, 2, 2, [2, 2, 2]), idxLabels([1, 2])))).toBe('size-mismatch');
    expect(await errorCode(pair(idxImages(3, 2, 2).subarray(0, 20), idxLabels([1, 2, 3])))).toBe('truncated');
    expect(await errorCode(pair(idxImages(3, 2, 2).subarray(0, 10), idxLabels([1, 2, 3])))).toBe('truncated');
    expect(await errorCode(pair(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), idxLabels([1])))).toBe('bad-magic');
    expect(await errorCode(pair(Uint8Array.from([0, 0, 0x0d, 3, 0, 0, 0, 1]), idxLabels([1])))).toBe('unknown-format');
    expect(await errorCode(pair(idxImages(0, 2, 2), idxLabels([])))).toBe('empty');
    expect(await errorCode(() => parseIdxFiles([{ name: 'train-images-idx3-ubyte', bytes: idxImages(1, 2, 2) }]))).toBe('missing-file');
    const sizes = [
      { name: 'train-images-idx3-ubyte', bytes: idxImages(1, 2, 2) },
      { name: 'train-labels-idx1-ubyte', bytes: idxLabels([1]) },
      { name: 't10k-images-idx3-ubyte', bytes: idxImages(1, 3, 3) },
      { name: 't10k-labels-idx1-ubyte', bytes: idxLabels([1]) },
    ];
    expect(await errorCode(() => parseIdxFiles(sizes))).toBe('size-mismatch');
    expect(() => parseIdxFiles(sizes)).toThrow(/has \d+x\d+ images but other files have \d+x\d+/);
  });
});
