import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { buildMnistBin } from '../../../scripts/buildMnist.mjs';
import { checkDataset } from '../dataset';
import { BUILTIN_DATASETS, findBuiltinDataset, MNIST_BIN_URL } from './registry';

describe('built-in dataset registry', () => {
  it('loads every entry with the channels, size and classes it advertises', async () => {
    buildMnistBin();
    const fetched: string[] = [];
    const fromPublic = async (path: string) => {
      fetched.push(path);
      return new Uint8Array(readFileSync(resolve('public', path)));
    };
    expect(BUILTIN_DATASETS.map((d) => d.id)).toEqual(['mnist', 'shapes']);
    for (const entry of BUILTIN_DATASETS) {
      const d = await entry.load(fromPublic);
      checkDataset(d);
      expect(d.id).toBe(entry.id);
      expect([d.channels, d.height, d.width, d.classNames.length]).toEqual([entry.channels, entry.size, entry.size, entry.classes]);
      expect(d.train.count).toBeGreaterThan(0);
      expect(d.test.count).toBeGreaterThan(0);
    }
    expect(fetched).toEqual([MNIST_BIN_URL]);
  });

  it('passes fetch failures through and names unknown ids', async () => {
    await expect(findBuiltinDataset('mnist').load(async () => Promise.reject(new Error('404 Not Found')))).rejects.toThrow(/404/);
    expect(() => findBuiltinDataset('imagenet')).toThrow(/unknown built-in dataset "imagenet"; choose one of mnist, shapes/);
  });
});
