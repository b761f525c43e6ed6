// The corpus of broken uploads (data/formats/brokenFiles.ts) through the lab's real
// upload path: each gets its own error code and words, and the chosen dataset and the
// stored ones are exactly what they were before it.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_UPLOADS } from '../data/formats/brokenFiles';
import { DatasetFormatError } from '../data/formats/errors';
import { cifarBytes, testDecode } from '../data/formats/testFixtures';
import { IdbDatasetStore } from './datasetStore';
import { LabService } from './labService';

const storage = new IdbDatasetStore(`broken-uploads-${Math.random()}`);
const lab = new LabService(
  () => Promise.reject(new Error('no GPU in this test')),
  undefined,
  () => Promise.reject(new Error('no assets')),
  () => {},
  { storage, decode: testDecode },
);
let before: { current: string | undefined; stored: string };

const state = async () => ({
  current: lab.currentDataset()?.id,
  stored: JSON.stringify((await lab.listStored()).map((s) => [s.id, s.name, s.trainCount, s.testCount, s.classes])),
});

beforeAll(async () => {
  await lab.uploadFiles([{ name: 'data_batch_1.bin', bytes: cifarBytes(Array.from({ length: 30 }, (_, i) => i % 10)) }], {});
  await lab.uploadFiles([{ name: 'data_batch_2.bin', bytes: cifarBytes(Array.from({ length: 20 }, (_, i) => i % 10)) }], {});
  before = await state();
});

afterAll(() => storage.close());

describe('broken uploads: each its own error, nothing the user had changes', () => {
  it('the corpus holds at least 40 distinct faults', () => {
    const faults = BROKEN_UPLOADS.map((b) => b.fault);
    expect(new Set(faults).size).toBe(faults.length);
    expect(faults.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BROKEN_UPLOADS.map((b) => [b.fault, b] as const))('%s', async (_, broken) => {
    let caught: unknown;
    try {
      await lab.uploadFiles(broken.files(), broken.opts ?? {});
    } catch (e) {
      caught = e;
    }
    expect(caught, 'the upload was accepted').toBeInstanceOf(DatasetFormatError);
    const e = caught as DatasetFormatError;
    expect(e.code).toBe(broken.code);
    expect(e.message).toMatch(broken.message);
    expect(await state()).toEqual(before);
  });
});
