// Experiments kept in the browser's IndexedDB as they run: the config, the latest
// snapshot (every run's history and diagnostics) and the latest checkpoint (weights,
// optimizer state, data position; its big arrays in chunks, see storedParts.ts), so a
// reload can show the results and resume an unfinished run. Runs imported from elsewhere
// (PyTorch) are kept per experiment config, so they come back with any saved run of that
// config. Runs in the Worker; Node tests use fake-indexeddb.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ComparisonCheckpoint } from './comparison';
import type { ExperimentConfig } from './experimentConfig';
import { withNewFields } from './experimentFields';
import type { ExternalRun } from './externalRuns';
import { encodeExperiment } from './urlCodec';
import type { ComparisonPhase, ComparisonSnapshot } from './runState';
import { joinParts, partKey, partRange, splitParts, STORE_PARTS } from './storedParts';

export interface StoredExperimentSummary {
  id: string;
  config: ExperimentConfig;
  createdAt: number;
  updatedAt: number;
  phase: ComparisonPhase;
  step: number;
  totalSteps: number;
  /** Step of the stored checkpoint; resumable when the phase is not finished. */
  checkpointStep?: number;
}

interface StoredResults {
  id: string;
  snapshot?: ComparisonSnapshot;
  /** Its big arrays (weights, optimizer state) live in `parts` when checkpointParts is set. */
  checkpoint?: ComparisonCheckpoint;
  checkpointParts?: number;
}

interface Schema extends DBSchema {
  summaries: { key: string; value: StoredExperimentSummary };
  results: { key: string; value: StoredResults };
  /** Keyed by the experiment's link encoding: equal configs, equal keys. */
  external: { key: string; value: { key: string; runs: ExternalRun[] } };
  /** Checkpoint arrays in chunks, `<id>/<k>`: Chromium refuses single values over ~127 MiB. */
  parts: { key: string; value: Uint8Array };
}

export class ExperimentStorageError extends Error {
  override readonly name = 'ExperimentStorageError';
}

const FULL = 'browser storage is full: the run goes on, but its results are not saved; delete old experiments to free space';

function wrap(e: unknown): never {
  const name = (e as { name?: string })?.name;
  if (name === 'QuotaExceededError') throw new ExperimentStorageError(FULL);
  throw new ExperimentStorageError(`could not save the experiment: ${e instanceof Error ? e.message : String(e)}`);
}

export class ExperimentStore {
  private db?: Promise<IDBPDatabase<Schema>>;

  constructor(private readonly dbName = 'risotto-lab-experiments') {}

  private open(): Promise<IDBPDatabase<Schema>> {
    this.db ??= openDB<Schema>(this.dbName, 3, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('summaries', { keyPath: 'id' });
          db.createObjectStore('results', { keyPath: 'id' });
        }
        if (oldVersion < 2) db.createObjectStore('external', { keyPath: 'key' });
        if (oldVersion < 3) db.createObjectStore('parts');
      },
    });
    return this.db;
  }

  async create(config: ExperimentConfig, now = Date.now()): Promise<StoredExperimentSummary> {
    const summary: StoredExperimentSummary = {
      id: `exp-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      config,
      createdAt: now,
      updatedAt: now,
      phase: 'idle',
      step: 0,
      totalSteps: config.steps,
    };
    const db = await this.open();
    try {
      const tx = db.transaction(['summaries', 'results'], 'readwrite');
      await Promise.all([tx.objectStore('summaries').put(summary), tx.objectStore('results').put({ id: summary.id }), tx.done]);
    } catch (e) {
      wrap(e);
    }
    return summary;
  }

  /** Saves the latest snapshot and/or checkpoint; summary, results and the checkpoint's
   * parts change together (one transaction). */
  async save(id: string, update: { snapshot?: ComparisonSnapshot; checkpoint?: ComparisonCheckpoint }, now = Date.now()): Promise<void> {
    const db = await this.open();
    const split = update.checkpoint ? splitParts(update.checkpoint, STORE_PARTS) : undefined;
    try {
      const tx = db.transaction(['summaries', 'results', 'parts'], 'readwrite');
      const [summary, results] = await Promise.all([tx.objectStore('summaries').get(id), tx.objectStore('results').get(id)]);
      if (!summary) throw new Error(`experiment ${id} was deleted`);
      const next: StoredResults = { ...(results ?? { id }), ...(update.snapshot && { snapshot: update.snapshot }) };
      const writes: Promise<unknown>[] = [];
      if (split) {
        next.checkpoint = split.skeleton;
        next.checkpointParts = split.chunks.length;
        const parts = tx.objectStore('parts');
        writes.push(parts.delete(partRange(id)));
        split.chunks.forEach((c, k) => writes.push(parts.put(c, partKey(id, k))));
      }
      const snap = update.snapshot;
      const s: StoredExperimentSummary = {
        ...summary,
        updatedAt: now,
        phase: snap?.phase ?? summary.phase,
        step: snap?.step ?? summary.step,
        checkpointStep: update.checkpoint?.step ?? summary.checkpointStep,
      };
      await Promise.all([...writes, tx.objectStore('summaries').put(s), tx.objectStore('results').put(next), tx.done]);
    } catch (e) {
      wrap(e);
    }
  }

  async list(): Promise<StoredExperimentSummary[]> {
    const all = await (await this.open()).getAll('summaries');
    return all.map((s) => ({ ...s, config: withNewFields(s.config) })).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async get(
    id: string,
  ): Promise<{ summary: StoredExperimentSummary; snapshot?: ComparisonSnapshot; checkpoint?: ComparisonCheckpoint } | undefined> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'results', 'parts'], 'readonly');
    const [summary, results] = await Promise.all([tx.objectStore('summaries').get(id), tx.objectStore('results').get(id)]);
    if (!summary) return undefined;
    let checkpoint = results?.checkpoint;
    if (checkpoint && results?.checkpointParts) {
      const chunks = await tx.objectStore('parts').getAll(partRange(id));
      if (chunks.length !== results.checkpointParts)
        throw new ExperimentStorageError(`the checkpoint of ${id} is incomplete (${chunks.length} of ${results.checkpointParts} parts)`);
      checkpoint = joinParts(checkpoint, chunks);
    }
    return { summary: { ...summary, config: withNewFields(summary.config) }, snapshot: results?.snapshot, checkpoint };
  }

  async getExternal(config: ExperimentConfig): Promise<ExternalRun[]> {
    return (await (await this.open()).get('external', encodeExperiment(config)))?.runs ?? [];
  }

  /** Replaces the imported runs of this config (none: forgets them). */
  async setExternal(config: ExperimentConfig, runs: ExternalRun[]): Promise<void> {
    const db = await this.open();
    const key = encodeExperiment(config);
    try {
      if (runs.length === 0) await db.delete('external', key);
      else await db.put('external', { key, runs });
    } catch (e) {
      wrap(e);
    }
  }

  async delete(id: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'results', 'parts'], 'readwrite');
    await Promise.all([
      tx.objectStore('summaries').delete(id),
      tx.objectStore('results').delete(id),
      tx.objectStore('parts').delete(partRange(id)),
      tx.done,
    ]);
  }
}
