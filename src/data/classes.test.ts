import { describe, expect, it } from 'vitest';
import { checkClassCount, classCounts, describeClasses, dropEmptyClasses, emptyClasses } from './classes';
import type { Dataset } from './dataset';
import { parseDatasetFiles } from './formats/detect';
import { cifarBytes, errorCode, idxImages, idxLabels, utf8 } from './formats/testFixtures';

const f = (name: string, bytes: Uint8Array) => ({ name, bytes });

describe('class checks for every format', () => {
  it('refuses a CIFAR batch whose records all carry label 0', async () => {
    const one = [f('data_batch_1.bin', cifarBytes(new Array(20).fill(0)))];
    expect(await errorCode(() => parseDatasetFiles(one))).toBe('too-few-classes');
    await expect(parseDatasetFiles(one)).rejects.toThrow(
      /all 20 examples carry label airplane \(class 0 of 10\); a classifier needs at least two classes with examples/,
    );
  });

  it('refuses a CSV whose labels are all "3", and IDX labels that are all one digit', async () => {
    const csv = [f('digits.csv', utf8(Array.from({ length: 20 }, (_, i) => `3,${i},0,0,0`).join('\n')))];
    expect(await errorCode(() => parseDatasetFiles(csv))).toBe('too-few-classes');
    await expect(parseDatasetFiles(csv)).rejects.toThrow(/all 20 examples carry label 3 \(class 3 of 4\)/);
    const idx = [f('train-images-idx3-ubyte', idxImages(10, 2, 2)), f('train-labels-idx1-ubyte', idxLabels(new Array(10).fill(7)))];
    expect(await errorCode(() => parseDatasetFiles(idx))).toBe('too-few-classes');
  });

  it('counts a class with test examples only as holding examples', async () => {
    const d = await parseDatasetFiles([f('data_batch_1.bin', cifarBytes([0, 0, 0])), f('test_batch.bin', cifarBytes([1]))]);
    expect(emptyClasses(d)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => checkClassCount(['a', 'b'], [d.train])).toThrow(/all 3 examples carry label a/);
  });

  it('says how many declared classes are empty', () => {
    expect(describeClasses(10, 0)).toBe('10 classes');
    expect(describeClasses(10, 9)).toBe('10 classes, 9 empty');
    expect(describeClasses(1, 0)).toBe('1 class');
  });

  it('drops the empty classes into a new dataset, renumbering the labels in order', () => {
    const d: Dataset = {
      id: 'a'.repeat(64),
      name: 'x',
      channels: 1,
      height: 1,
      width: 1,
      classNames: ['0', '1', '2', '3'],
      train: { pixels: Uint8Array.from([5, 6, 7]), labels: Uint8Array.from([3, 1, 3]), count: 3 },
      test: { pixels: Uint8Array.from([8]), labels: Uint8Array.from([1]), count: 1 },
    };
    const dropped = dropEmptyClasses(d, 'b'.repeat(64), 'x (empty classes dropped)');
    expect(dropped.classNames).toEqual(['1', '3']);
    expect(Array.from(dropped.train.labels)).toEqual([1, 0, 1]);
    expect(Array.from(dropped.test.labels)).toEqual([0]);
    expect(Array.from(dropped.train.pixels)).toEqual([5, 6, 7]);
    expect(classCounts(2, dropped.train, dropped.test)).toEqual([2, 2]);
    // The original is untouched.
    expect(d.classNames).toHaveLength(4);
    expect(Array.from(d.train.labels)).toEqual([3, 1, 3]);
    expect(() => dropEmptyClasses(dropped, 'c'.repeat(64), 'y')).toThrow(/has no empty classes to drop/);
  });
});
