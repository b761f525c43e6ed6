// Uploaded datasets kept in the browser's IndexedDB under their content hash, so a
// reload (or a shared experiment URL) finds them again. Pixels go in chunks of at most
// 32 MiB (STORE_PARTS of storedParts.ts: Chromium refuses any single value above ~127 MiB, and
// full CIFAR-10 is 184 MB); each entry is written in one transaction (summary, dataset,
// chunks), so a full disk never leaves half an entry behind. Runs in the Worker; Node tests use
// fake-indexeddb. Not the parser (see src/data).

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { emptyClasses } from '../data';
import type { Dataset } from '../data';
import { joinParts, partKey, partRange, splitParts, STORE_PARTS } from './storedParts';

/** What the picker lists; cheap to read (no pixels). */
export interface StoredDatasetSummary {
  id: string;
  name: string;
  channels: number;
  /** Side of the square images (height; uploads are square after parsing). */
  size: number;
  classes: number;
  /** Declared classes without an example; absent in entries stored before it was counted. */
  emptyClasses?: number;
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
  /** Gives a stored dataset another display name; its data and id stay. */
  rename(id: string, name: string): Promise<StoredDatasetSummary>;
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

interface Schema extends DBSchema {
  summaries: { key: string; value: StoredDatasetSummary };
  /** The dataset with its big arrays replaced by references to `chunks` (storedParts). */
  data: { key: string; value: Dataset };
  /** Summaries that outlive delete(), only for error messages. */
  remembered: { key: string; value: StoredDatasetSummary };
  chunks: { key: string; value: Uint8Array };
}

const DB_NAME = 'risotto-lab-datasets';
const DB_VERSION = 2;

function summarizeStored(d: Dataset, addedAt: number): StoredDatasetSummary {
  const bytes = d.train.pixels.byteLength + d.train.labels.byteLength + d.test.pixels.byteLength + d.test.labels.byteLength;
  return {
    id: d.id,
    name: d.name,
    channels: d.channels,
    size: d.height,
    classes: d.classNames.length,
    emptyClasses: emptyClasses(d).length,
    trainCount: d.train.count,
    testCount: d.test.count,
    bytes,
    addedAt,
  };
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

export class IdbDatasetStore implements DatasetStorage {
  private db?: Promise<IDBPDatabase<Schema>>;

  /** Tests pass their own database name (fake-indexeddb installs the globals). */
  constructor(
    private readonly dbName = DB_NAME,
    private readonly now: () => number = Date.now,
    /** Tests pass small sizes to exercise the splitting. */
    private readonly parts: { minBytes: number; chunkBytes: number } = STORE_PARTS,
  ) {}

  private open(): Promise<IDBPDatabase<Schema>> {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(
        new DatasetStorageError(
          'storage-unavailable',
          'this browser offers no IndexedDB (private mode can turn it off), so uploads cannot be kept; reload in a normal window',
        ),
      );
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
    const { skeleton, chunks } = splitParts(dataset, this.parts);
    const tx = db.transaction(['summaries', 'data', 'remembered', 'chunks'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    try {
      const store = tx.objectStore('chunks');
      writes.push(store.delete(partRange(dataset.id)));
      chunks.forEach((c, k) => writes.push(store.put(c, partKey(dataset.id, k))));
      writes.push(tx.objectStore('summaries').put(summary));
      writes.push(tx.objectStore('remembered').put(summary));
      writes.push(tx.objectStore('data').put(skeleton));
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
      const [stored, chunks] = await Promise.all([tx.objectStore('data').get(id), tx.objectStore('chunks').getAll(partRange(id))]);
      // A version-1 entry holds its pixels inline: nothing to join.
      return stored && joinParts(stored, chunks);
    } catch (e) {
      throw storageError(e, `read dataset ${id.slice(0, 8)}`);
    }
  }

  async delete(id: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'data', 'chunks'], 'readwrite');
    try {
      await Promise.all([
        tx.objectStore('summaries').delete(id),
        tx.objectStore('data').delete(id),
        tx.objectStore('chunks').delete(partRange(id)),
        tx.done,
      ]);
    } catch (e) {
      throw storageError(e, `delete dataset ${id.slice(0, 8)}`);
    }
  }

  async rename(id: string, name: string): Promise<StoredDatasetSummary> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'data', 'remembered'], 'readwrite');
    try {
      const [summary, data] = await Promise.all([tx.objectStore('summaries').get(id), tx.objectStore('data').get(id)]);
      if (!summary || !data)
        throw new DatasetStorageError(
          'storage-failed',
          `no stored dataset ${id.slice(0, 8)} to rename; it may have been deleted in another tab`,
        );
      const renamed = { ...summary, name };
      await Promise.all([
        tx.objectStore('summaries').put(renamed),
        tx.objectStore('remembered').put(renamed),
        tx.objectStore('data').put({ ...data, name }),
        tx.done,
      ]);
      return renamed;
    } catch (e) {
      throw storageError(e, `rename dataset ${id.slice(0, 8)}`);
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
