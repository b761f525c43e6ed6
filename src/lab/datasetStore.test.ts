// The IndexedDB dataset store on fake-indexeddb: round trips, listing without pixels,
// delete, and a full disk that must leave no half-written entry and no lost dataset.
import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../data/dataset';
import { DatasetStorageError, IdbDatasetStore, STORAGE_FULL_MESSAGE } from './datasetStore';

function tinyDataset(id: string, train = 6, test = 3): Dataset {
  const per = 2 * 2;
  const pixels = (n: number, base: number) => Uint8Array.from({ length: n * per }, (_, i) => (base + i * 11) & 255);
  return {
    id,
    name: `tiny ${id}`,
    channels: 1,
    height: 2,
    width: 2,
    classNames: ['a', 'b', 'c'],
    train: { pixels: pixels(train, 1), labels: Uint8Array.from({ length: train }, (_, i) => i % 3), count: train },
    test: { pixels: pixels(test, 7), labels: Uint8Array.from({ length: test }, (_, i) => (i + 1) % 3), count: test },
  };
}

let dbCount = 0;
const stores: IdbDatasetStore[] = [];
function freshStore(now?: () => number, parts?: { minBytes: number; chunkBytes: number }): IdbDatasetStore {
  const s = new IdbDatasetStore(`test-datasets-${dbCount++}`, now, parts);
  stores.push(s);
  return s;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.close();
});

describe('IdbDatasetStore', () => {
  it('stores, lists (newest first), reads back and deletes datasets', async () => {
    let t = 1000;
    const store = freshStore(() => t++);
    const a = tinyDataset('aaa');
    const b = tinyDataset('bbb', 9, 4);
    const sa = await store.put(a);
    await store.put(b);
    expect(sa).toEqual({
      id: 'aaa',
      name: 'tiny aaa',
      channels: 1,
      size: 2,
      classes: 3,
      emptyClasses: 0,
      trainCount: 6,
      testCount: 3,
      bytes: 6 * 4 + 6 + 3 * 4 + 3,
      addedAt: 1000,
    });
    expect((await store.list()).map((s) => s.id)).toEqual(['bbb', 'aaa']);
    const back = await store.get('aaa');
    expect(back?.classNames).toEqual(['a', 'b', 'c']);
    expect(back?.train.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(back!.train.pixels)).toEqual(Array.from(a.train.pixels));
    expect(Array.from(back!.test.labels)).toEqual(Array.from(a.test.labels));
    await store.delete('aaa');
    expect(await store.get('aaa')).toBeUndefined();
    expect((await store.list()).map((s) => s.id)).toEqual(['bbb']);
    // The name survives deletion so a later error can ask for the file by name.
    expect((await store.remembered('aaa'))?.name).toBe('tiny aaa');
    expect(await store.remembered('never')).toBeUndefined();
  });

  it('stores a split that is a view into a larger buffer as its own bytes only', async () => {
    const store = freshStore();
    const d = tinyDataset('view');
    const big = new Uint8Array(10_000);
    big.set(d.train.pixels, 500);
    d.train.pixels = big.subarray(500, 500 + d.train.pixels.length);
    await store.put(d);
    const back = await store.get('view');
    expect(back!.train.pixels.buffer.byteLength).toBe(d.train.pixels.length);
    expect(Array.from(back!.train.pixels)).toEqual(Array.from(d.train.pixels));
  });

  it('reports a full disk clearly and leaves neither half an entry nor a lost one', async () => {
    const store = freshStore();
    await store.put(tinyDataset('kept'));
    const realPut = IDBObjectStore.prototype.put;
    // The pixels are the big write, so that is the one the quota refuses; the summary
    // written just before it in the same transaction must not survive.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof realPut>) {
      if (this.name === 'data') throw new DOMException('quota', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    const err = await store.put(tinyDataset('big')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetStorageError);
    expect((err as DatasetStorageError).code).toBe('storage-full');
    expect((err as Error).message).toBe(STORAGE_FULL_MESSAGE);
    vi.restoreAllMocks();
    expect((await store.list()).map((s) => s.id)).toEqual(['kept']);
    expect(await store.get('big')).toBeUndefined();
    expect(await store.remembered('big')).toBeUndefined();
    expect((await store.get('kept'))?.train.count).toBe(6);
  });

  it('maps an asynchronous quota abort (the usual browser case) to the same error', async () => {
    const store = freshStore();
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof realPut>) {
      const req = realPut.apply(this, args);
      if (this.name === 'data') {
        // The browser aborts the transaction with the quota error after the request.
        const tx = this.transaction;
        queueMicrotask(() => tx.abort());
        Object.defineProperty(tx, 'error', { value: new DOMException('quota', 'QuotaExceededError') });
      }
      return req;
    });
    const err = await store.put(tinyDataset('big')).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(err).toBeInstanceOf(DatasetStorageError);
    expect((err as DatasetStorageError).code).toBe('storage-full');
    expect(await store.list()).toEqual([]);
  });

  it('splits pixels into chunks (Chromium refuses single values over ~127 MiB) and reads them back exactly', async () => {
    const store = freshStore(undefined, { minBytes: 3, chunkBytes: 7 }); // pixels in 7-byte chunks: 24 train bytes -> 4 chunks, the last short
    const d = tinyDataset('chunky');
    await store.put(d);
    const back = await store.get('chunky');
    expect(back?.train.pixels).toEqual(d.train.pixels);
    expect(back?.test.pixels).toEqual(d.test.pixels);
    expect(back?.train.labels).toEqual(d.train.labels);
    // Storing again with fewer pixels leaves no stale chunk behind; delete removes them all.
    const smaller = tinyDataset('chunky', 2, 1);
    await store.put(smaller);
    expect((await store.get('chunky'))?.train.pixels).toEqual(smaller.train.pixels);
    expect(await chunkCount(store, 'chunky')).toBe(Math.ceil(8 / 7) + Math.ceil(4 / 7));
    await store.delete('chunky');
    expect(await chunkCount(store, 'chunky')).toBe(0);
  });

  it('still reads entries written by version 1 (whole dataset in one value)', async () => {
    const name = `test-datasets-v1-${dbCount++}`;
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('summaries', { keyPath: 'id' });
        db.createObjectStore('data', { keyPath: 'id' });
        db.createObjectStore('remembered', { keyPath: 'id' });
      },
    });
    const d = tinyDataset('legacy');
    await old.put('data', d);
    old.close();
    const store = new IdbDatasetStore(name);
    stores.push(store);
    expect(await store.get('legacy')).toEqual(d);
  });
});

async function chunkCount(store: IdbDatasetStore, id: string): Promise<number> {
  const db = await (store as unknown as { open(): Promise<IDBPDatabase> }).open();
  return db.count('chunks', IDBKeyRange.bound(`${id}/`, `${id}/\uffff`));
}
