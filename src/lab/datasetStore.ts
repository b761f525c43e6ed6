// Uploaded datasets kept in the browser's IndexedDB under their content hash, so a
// reload (or a shared experiment URL) finds them again. Pixels go in chunks of at most
// CHUNK_BYTES (Chromium refuses any single value above ~127 MiB, and full CIFAR-10 is
// 184 MB); each entry is written in one transaction (summary + metadata + chunks), so a
// full disk never leaves half an entry behind. Runs in the Worker; Node tests use
// fake-indexeddb. Not the parser (see src/data).

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Dataset } from '../data/dataset';

/** What the picker lists; cheap to read (no pixels). */
export interface StoredDatasetSummary {
  id: string;
  name: string;
  channels: number;
  /** Side of the square images (height; uploads are square after parsing). */
  size: number;
  classes: number;
  trainCount: number;
  testCount: number;
  /** Pixel and label bytes held in storage. */
  bytes: number;
  /** Milliseconds since the epoch. */
  addedAt: number;
}

/** The storage the lab service needs; IdbDatasetStore is the real one. */
export interface DatasetStorage {
  put(dataset: Dataset): Promise<StoredDatasetSummary>;
  list(): Promise<StoredDatasetSummary[]>;
  get(id: string): Promise<Dataset | undefined>;
  delete(id: string): Promise<void>;
  /** The summary of a dataset stored here at some time, even if deleted since: lets an
   * error ask for a missing dataset by name. */
  remembered(id: string): Promise<StoredDatasetSummary | undefined>;
}

export type DatasetStorageErrorCode = 'storage-full' | 'storage-unavailable' | 'storage-failed';

export class DatasetStorageError extends Error {
  override readonly name = 'DatasetStorageError';
  constructor(
    readonly code: DatasetStorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const STORAGE_FULL_MESSAGE = 'browser storage is full: delete a stored dataset or free space';

/** One split without its pixels, which live in `chunks` under `<id>/<split>/<k>`. */
interface StoredSplit {
  labels: Uint8Array | Uint16Array;
  count: number;
  pixelBytes: number;
  chunks: number;
  /** Bytes per chunk (the last may be shorter), as written. */
  chunkBytes: number;
}

/** Version 1 stored the whole Dataset in one value; version 2 this, plus chunks. */
type StoredData = Dataset | (Omit<Dataset, 'train' | 'test'> & { train: StoredSplit; test: StoredSplit });

interface Schema extends DBSchema {
  summaries: { key: string; value: StoredDatasetSummary };
  data: { key: string; value: StoredData };
  /** Summaries that outlive delete(), only for error messages. */
  remembered: { key: string; value: StoredDatasetSummary };
  chunks: { key: string; value: Uint8Array };
}

const DB_NAME = 'risotto-lab-datasets';
const DB_VERSION = 2;
/** Well under Chromium's per-value limit (133,169,152 bytes) and cheap to copy. */
export const CHUNK_BYTES = 32 * 1024 * 1024;

const chunkKey = (id: string, split: string, k: number) => `${id}/${split}/${String(k).padStart(6, '0')}`;
const chunkRange = (id: string) => IDBKeyRange.bound(`${id}/`, `${id}/\uffff`);
const isChunked = (s: Dataset['train'] | StoredSplit): s is StoredSplit => (s as StoredSplit).chunks !== undefined;

export function summarizeStored(d: Dataset, addedAt: number): StoredDatasetSummary {
  const bytes = d.train.pixels.byteLength + d.train.labels.byteLength + d.test.pixels.byteLength + d.test.labels.byteLength;
  return { id: d.id, name: d.name, channels: d.channels, size: d.height, classes: d.classNames.length, trainCount: d.train.count, testCount: d.test.count, bytes, addedAt };
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  // Firefox's legacy name; Safari reports QuotaExceededError like Chromium.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function storageError(e: unknown, doing: string): Error {
  if (e instanceof DatasetStorageError) return e;
  if (isQuotaError(e)) return new DatasetStorageError('storage-full', STORAGE_FULL_MESSAGE);
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new DatasetStorageError('storage-failed', `could not ${doing} in browser storage (${detail}); reload the page and try again`);
}

/** Labels that own exactly their bytes, so a view into a larger parse buffer does not
 * drag the whole buffer into storage (structured clone copies a view's whole buffer). */
function own<T extends Uint8Array | Uint16Array>(a: T): T {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as T;
}

/** The split's metadata and its pixels cut into owned copies of at most `size` bytes. */
function toChunks(s: Dataset['train'], size: number): { meta: StoredSplit; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < s.pixels.length; at += size) chunks.push(s.pixels.slice(at, at + size));
  return { meta: { labels: own(s.labels), count: s.count, pixelBytes: s.pixels.length, chunks: chunks.length, chunkBytes: size }, chunks };
}

export class IdbDatasetStore implements DatasetStorage {
  private db?: Promise<IDBPDatabase<Schema>>;

  /** Tests pass their own database name (fake-indexeddb installs the globals). */
  constructor(
    private readonly dbName = DB_NAME,
    private readonly now: () => number = Date.now,
    /** Tests pass small chunks to exercise the splitting. */
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  private open(): Promise<IDBPDatabase<Schema>> {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(new DatasetStorageError('storage-unavailable', 'this browser offers no IndexedDB (private mode can turn it off), so uploads cannot be kept; reload in a normal window'));
    }
    this.db ??= openDB<Schema>(this.dbName, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('summaries', { keyPath: 'id' });
          db.createObjectStore('data', { keyPath: 'id' });
          db.createObjectStore('remembered', { keyPath: 'id' });
        }
        if (oldVersion < 2) db.createObjectStore('chunks');
      },
    }).catch((e: unknown) => {
      this.db = undefined;
      throw storageError(e, 'open the dataset store');
    });
    return this.db;
  }

  async put(dataset: Dataset): Promise<StoredDatasetSummary> {
    const db = await this.open();
    const summary = summarizeStored(dataset, this.now());
    const train = toChunks(dataset.train, this.chunkBytes);
    const test = toChunks(dataset.test, this.chunkBytes);
    const tx = db.transaction(['summaries', 'data', 'remembered', 'chunks'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    try {
      const chunks = tx.objectStore('chunks');
      writes.push(chunks.delete(chunkRange(dataset.id)));
      for (const [name, split] of [['train', train], ['test', test]] as const) split.chunks.forEach((c, k) => writes.push(chunks.put(c, chunkKey(dataset.id, name, k))));
      writes.push(tx.objectStore('summaries').put(summary));
      writes.push(tx.objectStore('remembered').put(summary));
      writes.push(tx.objectStore('data').put({ ...dataset, classNames: [...dataset.classNames], train: train.meta, test: test.meta }));
      await Promise.all([...writes, tx.done]);
    } catch (e) {
      for (const w of writes) w.catch(() => {});
      // A put that throws synchronously leaves the others queued: abort so none commits.
      try {
        tx.abort();
      } catch {
        // Already aborted by the failure itself.
      }
      // Requests fail with a bare AbortError; the transaction carries the real cause.
      const cause: unknown = await tx.done.then(
        () => undefined,
        (err: unknown) => err,
      );
      throw storageError(isQuotaError(cause) ? cause : e, `store ${dataset.name}`);
    }
    return summary;
  }

  async list(): Promise<StoredDatasetSummary[]> {
    const db = await this.open();
    try {
      const all = await db.getAll('summaries');
      return all.sort((a, b) => b.addedAt - a.addedAt);
    } catch (e) {
      throw storageError(e, 'list the stored datasets');
    }
  }

  async get(id: string): Promise<Dataset | undefined> {
    const db = await this.open();
    try {
      const tx = db.transaction(['data', 'chunks'], 'readonly');
      const stored = await tx.objectStore('data').get(id);
      if (!stored) return undefined;
      const split = async (name: 'train' | 'test'): Promise<Dataset['train']> => {
        const s = stored[name];
        if (!isChunked(s)) return s; // a version-1 entry: pixels inline
        const pixels = new Uint8Array(s.pixelBytes);
        for (let k = 0; k < s.chunks; k++) {
          const c = await tx.objectStore('chunks').get(chunkKey(id, name, k));
          if (!c) throw new Error(`chunk ${k} of the ${name} pixels is missing`);
          pixels.set(c, k * s.chunkBytes);
        }
        return { pixels, labels: s.labels, count: s.count };
      };
      const [train, test] = [await split('train'), await split('test')];
      return { ...stored, train, test };
    } catch (e) {
      throw storageError(e, `read dataset ${id.slice(0, 8)}`);
    }
  }

  async delete(id: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'data', 'chunks'], 'readwrite');
    try {
      await Promise.all([tx.objectStore('summaries').delete(id), tx.objectStore('data').delete(id), tx.objectStore('chunks').delete(chunkRange(id)), tx.done]);
    } catch (e) {
      throw storageError(e, `delete dataset ${id.slice(0, 8)}`);
    }
  }

  async remembered(id: string): Promise<StoredDatasetSummary | undefined> {
    const db = await this.open();
    try {
      return await db.get('remembered', id);
    } catch {
      return undefined;
    }
  }

  /** Closes the connection (tests delete the database afterwards). */
  async close(): Promise<void> {
    const db = await this.db?.catch(() => undefined);
    db?.close();
    this.db = undefined;
  }
}
