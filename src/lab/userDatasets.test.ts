// Uploads through the lab service (no GPU needed): a good file is parsed, stored and
// becomes current with progress by phase; a bad file or a full disk changes nothing;
// stored uploads list, load, preview and delete; a missing upload is asked for by name.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { datasetContentId } from '../data/formats/detect';
import { cifarBytes, fakeDecode, fakePng } from '../data/formats/testFixtures';
import { DatasetStorageError, IdbDatasetStore } from './datasetStore';
import { defaultExperiment } from './experimentFields';
import { LabService } from './labService';
import { loadAnyDataset, missingDatasetMessage, uploadProgress, uploadSizeProblem, type UploadProgress } from './userDatasets';

let n = 0;
const stores: IdbDatasetStore[] = [];
function service(storage = new IdbDatasetStore(`user-datasets-${n++}`)) {
  stores.push(storage);
  const noGpu = () => Promise.reject(new Error('no GPU in this test'));
  const noAssets = () => Promise.reject(new Error('no assets in this test'));
  return { lab: new LabService(noGpu, undefined, noAssets, () => {}, { storage, decode: fakeDecode }), storage };
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.close();
});

const cifar = (count: number) => ({ name: 'data_batch_1.bin', bytes: cifarBytes(Array.from({ length: count }, (_, i) => i % 10)) });

describe('LabService uploads', () => {
  it('parses, stores and selects a good upload, reporting phases in order', async () => {
    const { lab } = service();
    const seen: UploadProgress[] = [];
    const info = await lab.uploadFiles([cifar(50)], { testFraction: 0.2 }, (p) => seen.push(p));
    expect(info).toMatchObject({ channels: 3, size: 32, classes: 10, trainCount: 40, testCount: 10 });
    expect(info.id).toMatch(/^[0-9a-f]{64}$/);
    expect(seen.map((p) => p.phase)).toEqual(['parsing', 'storing', 'done']);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(lab.currentDataset()?.id).toBe(info.id);
    expect((await lab.listStored()).map((s) => [s.id, s.trainCount, s.testCount])).toEqual([[info.id, 40, 10]]);
  });

  it('keeps the current dataset and storage untouched when a file is bad', async () => {
    const { lab } = service();
    const good = await lab.uploadFiles([cifar(20)], {});
    const bad = { name: 'data_batch_1.bin', bytes: new Uint8Array(5000).fill(7) };
    await expect(lab.uploadFiles([bad], {})).rejects.toThrow(
      /data_batch_1\.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records/,
    );
    await expect(lab.uploadFiles([{ name: 'empty.bin', bytes: new Uint8Array(0) }], {})).rejects.toThrow(
      /empty\.bin: is empty \(0 bytes\)/,
    );
    expect(lab.currentDataset()?.id).toBe(good.id);
    expect((await lab.listStored()).map((s) => s.id)).toEqual([good.id]);
  });

  it('keeps the current dataset when storage is full, and says so', async () => {
    const { lab, storage } = service();
    const good = await lab.uploadFiles([cifar(20)], {});
    vi.spyOn(storage, 'put').mockRejectedValue(
      new DatasetStorageError('storage-full', 'browser storage is full: delete a stored dataset or free space'),
    );
    await expect(lab.uploadFiles([cifar(30)], {})).rejects.toThrow('browser storage is full: delete a stored dataset or free space');
    expect(lab.currentDataset()?.id).toBe(good.id);
  });

  it('reports unpacking as its own phase for archives and decodes image folders', async () => {
    const { lab } = service();
    const { zipSync } = await import('fflate');
    const zip = zipSync({
      'cats/a.png': fakePng(4, 4, [200, 0, 0]),
      'cats/b.png': fakePng(4, 4, [210, 0, 0]),
      'dogs/c.png': fakePng(4, 4, [0, 0, 200]),
      'dogs/d.png': fakePng(4, 4, [0, 0, 190]),
    });
    const phases: string[] = [];
    const info = await lab.uploadFiles([{ name: 'pets.zip', bytes: zip }], { testFraction: 0.5 }, (p) => phases.push(p.phase));
    expect(phases[0]).toBe('decompressing');
    expect(info.classNames).toEqual(['cats', 'dogs']);
  });

  it('lists, loads, previews and deletes stored uploads; a deleted one is asked for by name', async () => {
    const { lab, storage } = service();
    const a = await lab.uploadFiles([cifar(20)], { name: 'first' });
    const b = await lab.uploadFiles([{ ...cifar(30), name: 'data_batch_2.bin' }], { name: 'second' });
    expect(lab.currentDataset()?.id).toBe(b.id);
    expect((await lab.loadStored(a.id)).name).toBe('first');
    expect(lab.currentDataset()?.id).toBe(a.id);
    const preview = await lab.datasetPreview(b.id);
    expect(preview.classes).toHaveLength(10);
    expect(preview.classes[3].samples.length).toBeGreaterThan(0);
    expect(preview.classes.reduce((s, c) => s + c.trainCount + c.testCount, 0)).toBe(30);
    await lab.deleteStored(a.id);
    expect(lab.currentDataset()).toBeUndefined();
    expect((await lab.listStored()).map((s) => s.id)).toEqual([b.id]);
    await expect(lab.loadDataset(a.id)).rejects.toThrow(
      'this experiment uses an uploaded dataset (first, 20 images) that is not in this browser: drop the file to add it',
    );
    // Training an experiment that names the deleted upload asks for its file.
    await expect(lab.start({ ...defaultExperiment(), dataset: a.id }, () => {})).rejects.toThrow(
      /uploaded dataset \(first, 20 images\) that is not in this browser: drop the file/,
    );
    await expect(loadAnyDataset(a.id, () => Promise.reject(new Error('unused')), storage)).rejects.toThrow(/first, 20 images/);
  });
});

describe('upload names', () => {
  const batch = (seed: number) => ({ name: 'data_batch_1.bin', bytes: cifarBytes(Array.from({ length: 20 }, (_, i) => (i + seed) % 10)) });

  it('names uploads by their files and keeps the names apart with a counter', async () => {
    const { lab } = service();
    const names = [];
    for (const seed of [0, 1, 2]) names.push((await lab.uploadFiles([batch(seed)], {})).name);
    expect(names).toEqual(['data_batch_1 · CIFAR-10', 'data_batch_1 · CIFAR-10 (2)', 'data_batch_1 · CIFAR-10 (3)']);
    expect(new Set((await lab.listStored()).map((s) => s.name)).size).toBe(3);
  });

  it('renames a stored upload, checks the name, and keeps it when the same files come again', async () => {
    const { lab } = service();
    const a = await lab.uploadFiles([batch(0)], {});
    const b = await lab.uploadFiles([batch(1)], {});
    expect((await lab.renameStored(a.id, '  CIFAR sample, seed 0 ')).name).toBe('CIFAR sample, seed 0');
    expect((await lab.listStored()).find((s) => s.id === a.id)?.name).toBe('CIFAR sample, seed 0');
    await expect(lab.renameStored(b.id, 'CIFAR sample, seed 0')).rejects.toThrow(
      'another stored upload is already named "CIFAR sample, seed 0"; choose a different name',
    );
    await expect(lab.renameStored(b.id, ' \u200b ')).rejects.toThrow('a dataset name cannot be empty; type a name');
    await expect(lab.renameStored(b.id, 'x'.repeat(81))).rejects.toThrow(/at most 80 characters/);
    expect((await lab.listStored()).find((s) => s.id === b.id)?.name).toBe(b.name);
    // The current dataset (b) is renamed in memory too; the same files again keep a's new name.
    await lab.renameStored(b.id, 'second');
    expect(lab.currentDataset()?.name).toBe('second');
    expect((await lab.uploadFiles([batch(0)], {})).name).toBe('CIFAR sample, seed 0');
    expect((await lab.loadDataset(a.id)).name).toBe('CIFAR sample, seed 0');
  });

  it('the same files with another test split or CSV shape are another dataset, never a replacement', async () => {
    const { lab } = service();
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 2},${[1, 2, 3, 4, 5, 6].map((k) => (i * k) & 255).join(',')}`).join('\n');
    const csv = { name: 'wide.csv', bytes: new TextEncoder().encode(rows) };
    const plain = await lab.uploadFiles([csv], { csv: { height: 2, width: 3 } });
    const wider = await lab.uploadFiles([csv], { csv: { height: 2, width: 3 }, testFraction: 0.4 });
    const turned = await lab.uploadFiles([csv], { csv: { height: 3, width: 2 } });
    expect([plain.trainCount, plain.testCount, wider.trainCount, wider.testCount]).toEqual([32, 8, 24, 16]);
    expect([plain.name, wider.name, turned.name]).toEqual(['wide · CSV, 1×2×3', 'wide · CSV, 1×2×3, 40% test', 'wide · CSV, 1×3×2']);
    expect(new Set([plain.id, wider.id, turned.id]).size).toBe(3);
    // The first upload is stored as it was: its split is still 32 / 8, its shape 2x3.
    expect(await lab.loadDataset(plain.id)).toMatchObject({ trainCount: 32, testCount: 8, size: 2, width: 3 });
    expect((await lab.listStored()).map((s) => s.id).sort()).toEqual([plain.id, wider.id, turned.id].sort());
    // With the default options an upload keeps the plain content hash, as the command line's --data gives.
    const cifarUpload = await lab.uploadFiles([batch(0)], { testFraction: 0.2 });
    expect(cifarUpload.id).toBe(await datasetContentId([batch(0)]));
  });
});

describe('empty classes', () => {
  it('counts declared classes without examples and drops them into a new stored dataset, keeping the original', async () => {
    const { lab } = service();
    const twoOfTen = { name: 'data_batch_1.bin', bytes: cifarBytes(Array.from({ length: 20 }, (_, i) => (i % 2) * 7)) };
    const info = await lab.uploadFiles([twoOfTen], {});
    expect([info.classes, info.emptyClasses]).toEqual([10, 8]);
    expect((await lab.listStored()).map((s) => [s.classes, s.emptyClasses])).toEqual([[10, 8]]);
    const dropped = await lab.dropEmptyClasses(info.id);
    expect(dropped.id).toMatch(/^[0-9a-f]{64}$/);
    expect(dropped.id).not.toBe(info.id);
    expect(dropped).toMatchObject({
      classes: 2,
      emptyClasses: 0,
      classNames: ['airplane', 'horse'],
      trainCount: info.trainCount,
      testCount: info.testCount,
    });
    expect(dropped.name).toBe(`${info.name} (empty classes dropped)`);
    expect(lab.currentDataset()?.id).toBe(dropped.id);
    expect((await lab.listStored()).map((s) => s.id).sort()).toEqual([info.id, dropped.id].sort());
    expect((await lab.loadDataset(info.id)).classes).toBe(10);
    await expect(lab.dropEmptyClasses(dropped.id)).rejects.toThrow(/has no empty classes to drop/);
  });
});

describe('missing datasets and progress', () => {
  it('names an unknown hash by its prefix and an unknown word as not a dataset', () => {
    expect(missingDatasetMessage('ab'.repeat(32))).toMatch(
      /uploaded dataset \(content hash abababababab…\) that is not in this browser: drop the file/,
    );
    expect(missingDatasetMessage('cifar')).toMatch(/unknown dataset "cifar": choose a built-in one \(.*shapes.*\)/);
    expect(missingDatasetMessage('x', { name: 'cifar-10', trainCount: 40000, testCount: 10000 })).toContain('(cifar-10, 50,000 images)');
  });

  it('maps phase fractions onto one bar', () => {
    expect(uploadProgress('reading', 0).fraction).toBe(0);
    expect(uploadProgress('reading', 1).fraction).toBeCloseTo(uploadProgress('parsing').fraction);
    expect(uploadProgress('storing').fraction).toBeGreaterThan(uploadProgress('parsing').fraction);
    expect(uploadProgress('done').fraction).toBe(1);
    expect(uploadProgress('reading', 7).phaseFraction).toBe(1);
  });

  it('refuses an oversized upload before the page reads it', () => {
    expect(uploadSizeProblem(1000, 1000)).toBeUndefined();
    expect(uploadSizeProblem(3 * 1024 ** 3)).toMatch(/^the upload is 3072 MiB, more than the 512 MiB limit; upload fewer files/);
  });
});
