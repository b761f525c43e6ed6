import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import type { DatasetStorage, StoredDatasetSummary } from './datasetStore';
import { defaultExperiment } from './experimentFields';
import { decodeExperimentJson } from './urlCodec';
import { factsOf, isStandardUpload, STANDARD_DATASETS } from './standardDatasets';
import { loadAnyDataset } from './userDatasets';

const cifar10 = STANDARD_DATASETS.find((d) => d.id === 'cifar10')!;
const cifar100 = STANDARD_DATASETS.find((d) => d.id === 'cifar100')!;
const noAssets = () => Promise.reject(new Error('no assets in this test'));

/** A store whose summaries claim the benchmark's sizes (60,000 real images would not fit a
 * unit test); `get` returns small stand-ins tagged by id, so the test sees which was picked. */
function storeOf(entries: { id: string; facts: Partial<StoredDatasetSummary>; addedAt: number }[]): DatasetStorage {
  const summary = (e: (typeof entries)[number]): StoredDatasetSummary => ({
    id: e.id,
    name: `upload ${e.id}`,
    channels: 3,
    size: 32,
    classes: 10,
    trainCount: 50000,
    testCount: 10000,
    bytes: 1,
    addedAt: e.addedAt,
    ...e.facts,
  });
  const stand = (id: string) => ({ ...makeSyntheticShapes({ trainCount: 4, testCount: 2 }), id, name: `upload ${id}` });
  return {
    list: () => Promise.resolve(entries.map(summary)),
    get: (id: string) => Promise.resolve(entries.some((e) => e.id === id) ? stand(id) : undefined),
    remembered: () => Promise.resolve(undefined),
  } as unknown as DatasetStorage;
}

describe('standard datasets (uploaded once, named by the benchmark)', () => {
  it('recognises an upload by its shape, classes and split sizes, and nothing else', () => {
    const facts = { channels: 3, size: 32, classes: 10, trainCount: 50000, testCount: 10000 };
    expect(isStandardUpload(facts, cifar10)).toBe(true);
    expect(isStandardUpload(facts, cifar100)).toBe(false);
    for (const change of [{ classes: 9 }, { trainCount: 49999 }, { testCount: 10001 }, { size: 28 }, { channels: 1 }])
      expect(isStandardUpload({ ...facts, ...change }, cifar10)).toBe(false);
    const small = makeSyntheticShapes({ trainCount: 5, testCount: 3, size: 32 });
    expect(factsOf(small)).toEqual({ channels: 3, size: 32, classes: small.classNames.length, trainCount: 5, testCount: 3 });
  });

  it('loads the oldest matching upload under the benchmark name, and asks for the file when none matches', async () => {
    const store = storeOf([
      { id: 'a'.repeat(64), facts: { classes: 100 }, addedAt: 1 },
      { id: 'b'.repeat(64), facts: {}, addedAt: 3 },
      { id: 'c'.repeat(64), facts: {}, addedAt: 2 },
    ]);
    const d = await loadAnyDataset('cifar10', noAssets, store);
    expect(d.id).toBe('cifar10');
    expect(d.name).toBe(`upload ${'c'.repeat(64)}`);
    expect((await loadAnyDataset('cifar100', noAssets, store)).name).toBe(`upload ${'a'.repeat(64)}`);
    await expect(loadAnyDataset('tiny-imagenet', noAssets, store)).rejects.toThrow(/Tiny ImageNet.*tiny-imagenet-200\.zip.*drop it/);
    await expect(loadAnyDataset('cifar10', noAssets, undefined)).rejects.toThrow(/download cifar-10-binary\.tar\.gz/);
  });

  it('is a dataset an experiment may name, in a link or JSON', () => {
    const { config, warnings } = decodeExperimentJson({ ...defaultExperiment(), dataset: 'CIFAR100' });
    expect(warnings).toEqual([]);
    expect(config.dataset).toBe('cifar100');
    expect(decodeExperimentJson({ ...defaultExperiment(), dataset: 'cifar-11' }).warnings.join()).toMatch(
      /uploaded once cifar10, cifar100, tiny-imagenet/,
    );
  });
});
