import { describe, expect, it } from 'vitest';
import { CIFAR100_CLASS_NAMES, CIFAR10_CLASS_NAMES, cifarKind, parseCifar } from './cifar';
import { cifarBytes, errorCode, utf8 } from './testFixtures';

describe('CIFAR binary', () => {
  it('joins the train batches in order and keeps pixel planes and labels in place', () => {
    const parsed = parseCifar([
      { name: 'cifar-10-batches-bin/data_batch_2.bin', bytes: cifarBytes([3, 4]) },
      { name: 'cifar-10-batches-bin/test_batch.bin', bytes: cifarBytes([9]) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', bytes: cifarBytes([0, 1, 2]) },
    ]);
    expect(parsed.format).toBe('CIFAR-10');
    expect([parsed.channels, parsed.height, parsed.width]).toEqual([3, 32, 32]);
    expect(parsed.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(Array.from(parsed.train!.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(parsed.test!.labels)).toEqual([9]);
    // Image 1 of data_batch_2 is train image 4: its byte j is (1 * 7 + j) & 255.
    expect(parsed.train!.pixels[4 * 3072 + 1024]).toBe((7 + 1024) & 255);
    expect(parsed.train!.pixels.length).toBe(5 * 3072);
  });

  it('reads CIFAR-100 fine labels with the official names, or names from fine_label_names.txt', () => {
    const parsed = parseCifar([{ name: 'train.bin', bytes: cifarBytes([99, 5], 'cifar100', 19) }]);
    expect(parsed.format).toBe('CIFAR-100');
    expect(parsed.classNames).toHaveLength(100);
    expect(parsed.classNames[99]).toBe('worm');
    expect(Array.from(parsed.train!.labels)).toEqual([99, 5]);
    expect(parsed.test).toBeNull();
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`).join('\n');
    const renamed = parseCifar(
      [{ name: 'test.bin', bytes: cifarBytes([1], 'cifar100') }],
      [{ name: 'x/fine_label_names.txt', bytes: utf8(names) }],
    );
    expect(renamed.classNames[1]).toBe('n1');
    expect(renamed.train).toBeNull();
    expect(CIFAR100_CLASS_NAMES).toHaveLength(100);
  });

  it('tells the variants apart by name, else by record size', () => {
    expect(cifarKind('data_batch_3.bin', 1)).toBe('cifar10');
    expect(cifarKind('a/test.bin', 1)).toBe('cifar100');
    expect(cifarKind('mine.bin', 2 * 3073)).toBe('cifar10');
    expect(cifarKind('mine.bin', 2 * 3074)).toBe('cifar100');
    expect(cifarKind('mine.bin', 1000)).toBeNull();
    expect(cifarKind('mine.dat', 3073)).toBeNull();
  });

  it('names the broken file and the problem', async () => {
    const cut = cifarBytes([1, 2]).subarray(0, 3073 + 100);
    expect(await errorCode(() => parseCifar([{ name: 'data_batch_1.bin', bytes: cut }]))).toBe('truncated');
    expect(() => parseCifar([{ name: 'data_batch_1.bin', bytes: cut }])).toThrow(/data_batch_1\.bin: .*cut off/);
    expect(await errorCode(() => parseCifar([{ name: 'data_batch_1.bin', bytes: cifarBytes([10]) }]))).toBe('label-range');
    expect(await errorCode(() => parseCifar([{ name: 'train.bin', bytes: cifarBytes([1], 'cifar100', 20) }]))).toBe('label-range');
    expect(await errorCode(() => parseCifar([{ name: 'data_batch_1.bin', bytes: new Uint8Array(0) }]))).toBe('empty');
    const mixed = [
      { name: 'data_batch_1.bin', bytes: cifarBytes([1]) },
      { name: 'test.bin', bytes: cifarBytes([1], 'cifar100') },
    ];
    expect(await errorCode(() => parseCifar(mixed))).toBe('unknown-format');
  });
});
