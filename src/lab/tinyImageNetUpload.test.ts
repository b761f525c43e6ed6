// Tiny ImageNet through the lab's upload path (no GPU): stored as one dataset with its own
// split and class names, decoding reported as a phase, the unlabelled test/ noted; a browser
// quota too small for the decoded images refuses the upload before decoding, naming the
// size needed, and nothing the user had changes.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { cifarBytes, testDecode } from '../data/formats/testFixtures';
import { fakeTinyImageNet, zipFiles } from '../data/formats/tinyImageNetFixture';
import { DatasetStorageError, IdbDatasetStore } from './datasetStore';
import { LabService } from './labService';
import { checkStorageRoom, type StorageEstimator } from './storageRoom';
import type { UploadProgress } from './userDatasets';

let n = 0;
const stores: IdbDatasetStore[] = [];
function service(estimate?: StorageEstimator, decode = testDecode) {
  const storage = new IdbDatasetStore(`tiny-imagenet-${n++}`);
  stores.push(storage);
  const noGpu = () => Promise.reject(new Error('no GPU in this test'));
  return new LabService(
    noGpu,
    undefined,
    () => Promise.reject(new Error('no assets')),
    () => {},
    { storage, decode, estimate },
  );
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const zip = () => [
  { name: 'tiny-imagenet-200.zip', bytes: zipFiles(fakeTinyImageNet({ trainPerClass: 3, valPerClass: 2, side: 16 }).files) },
];

describe('Tiny ImageNet upload', () => {
  it('is stored as one dataset with its split and class names, decoding as a phase, test/ noted', async () => {
    const lab = service(async () => ({ quota: 1e9, usage: 0 }));
    const seen: UploadProgress[] = [];
    const info = await lab.uploadFiles(zip(), {}, (p) => seen.push(p));
    expect(info).toMatchObject({ name: 'tiny-imagenet-200 · Tiny ImageNet', size: 16, channels: 3, trainCount: 9, testCount: 6 });
    expect(info.classNames).toEqual(['n01443537 goldfish', 'n01641577 bullfrog', 'n02123045 tabby']);
    expect(info.notes).toEqual([expect.stringMatching(/^test\/ holds 3 unlabelled image\(s\)/)]);
    const phases = seen.map((p) => p.phase);
    expect(phases[0]).toBe('decompressing');
    expect(phases.filter((p) => p === 'decoding').length).toBeGreaterThan(1);
    expect(phases.slice(-2)).toEqual(['storing', 'done']);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const stored = await lab.listStored();
    expect(stored.map((s) => [s.trainCount, s.testCount, s.classes])).toEqual([[9, 6, 3]]);
  });

  it('a quota too small is refused before decoding with the size needed; nothing changes', async () => {
    let decoded = 0;
    const counting = (bytes: Uint8Array, mime: string) => {
      decoded++;
      return testDecode(bytes, mime);
    };
    const lab = service(async () => ({ quota: 20_000, usage: 15_000 }), counting);
    const before = await lab.uploadFiles(
      [{ name: 'data_batch_1.bin', bytes: cifarBytes(Array.from({ length: 20 }, (_, i) => i % 10)) }],
      {},
    );
    decoded = 0;
    const e = await lab.uploadFiles(zip(), {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DatasetStorageError);
    expect((e as DatasetStorageError).code).toBe('storage-full');
    // 15 images of 16x16x3 plus a label byte each.
    expect((e as Error).message).toMatch(
      /^Tiny ImageNet needs 1 MB of browser storage for its 15 decoded images, but this browser lets this site store only 1 MB more; nothing was decoded or stored/,
    );
    expect(decoded).toBe(1);
    expect(lab.currentDataset()?.id).toBe(before.id);
    expect((await lab.listStored()).map((s) => s.id)).toEqual([before.id]);
  });
});

describe('checkStorageRoom', () => {
  const plan = { format: 'Tiny ImageNet', images: 100_000, bytes: 100_000 * (3 * 64 * 64 + 1) };
  it('passes when the plan fits and when the browser gives no estimate', async () => {
    await expect(checkStorageRoom(plan, async () => ({ quota: 2e9, usage: 1e8 }))).resolves.toBeUndefined();
    await expect(checkStorageRoom(plan, async () => undefined)).resolves.toBeUndefined();
    await expect(checkStorageRoom(plan, () => Promise.reject(new Error('denied')))).resolves.toBeUndefined();
  });
  it("names the full set's size and what is free", async () => {
    await expect(checkStorageRoom(plan, async () => ({ quota: 1e9, usage: 2e8 }))).rejects.toThrow(
      /^Tiny ImageNet needs 1\.23 GB of browser storage for its 100,000 decoded images, but this browser lets this site store only 800 MB more/,
    );
  });
});
