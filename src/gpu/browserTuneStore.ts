// Kernel choices (tuner.ts) persisted in the browser's IndexedDB: one record per adapter
// and op, { adapter, op, variant, savedAt }, op being `<kind> <shape> #<code hash>`. The
// same TuneStore as the Node file (nodeTuneStore.ts). Records of another form, or left
// by kernels since changed, are ignored (and the latter replaced when their op is timed
// again); a database that cannot be opened or read counts as empty. Runs in the Worker;
// Node tests use fake-indexeddb.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { cleanChoices, mergeChoices, type Choices, type TuneStore } from './tuner';

const TUNE_DB_NAME = 'risotto-lab-kernel-choices';

interface ChoiceRecord {
  adapter: string;
  op: string;
  variant: string;
  savedAt: number;
}

interface Schema extends DBSchema {
  choices: { key: [string, string]; value: ChoiceRecord; indexes: { adapter: string } };
}

/** The records' choices, where each one has the fields and types a record has. */
function choicesOf(records: readonly unknown[]): Choices {
  const raw: Record<string, unknown> = {};
  for (const r of records) {
    const rec = r as Partial<ChoiceRecord> | null;
    if (rec && typeof rec === 'object' && typeof rec.op === 'string') raw[rec.op] = rec.variant;
  }
  return cleanChoices(raw);
}

/** Opens the database at its current version (a new one at version 1), creating the
 * store where it is missing: a database something else created empty under this name
 * gets it one version later. */
async function openChoices(name: string, version?: number): Promise<IDBPDatabase<Schema>> {
  const db = await openDB<Schema>(name, version, {
    upgrade(d) {
      if (d.objectStoreNames.contains('choices')) return;
      d.createObjectStore('choices', { keyPath: ['adapter', 'op'] }).createIndex('adapter', 'adapter');
    },
  });
  if (db.objectStoreNames.contains('choices')) return db;
  db.close();
  return openChoices(name, db.version + 1);
}

export function idbTuneStore(dbName = TUNE_DB_NAME): TuneStore {
  let db: Promise<IDBPDatabase<Schema>> | undefined;
  const open = () =>
    (db ??= openChoices(dbName).catch((e: unknown) => {
      db = undefined; // try again next time (another tab may have held an upgrade)
      throw e;
    }));
  return {
    async load(adapter) {
      try {
        return choicesOf(await (await open()).getAllFromIndex('choices', 'adapter', adapter));
      } catch {
        return {};
      }
    },
    async save(adapter, choices) {
      const tx = (await open()).transaction('choices', 'readwrite');
      const index = tx.store.index('adapter');
      const [keys, stored] = await Promise.all([index.getAllKeys(adapter), index.getAll(adapter)]);
      const merged = mergeChoices(choicesOf(stored), choices);
      const kept = new Set<string>();
      // Every record of this adapter that the merge does not hold as it is (malformed,
      // stale, or about to be rewritten) goes; then the new ones are written.
      for (const [i, r] of stored.entries()) {
        if (typeof r?.op === 'string' && Object.hasOwn(merged, r.op) && merged[r.op] === r.variant) kept.add(r.op);
        else await tx.store.delete(keys[i]);
      }
      const now = Date.now();
      for (const [op, variant] of Object.entries(merged)) if (!kept.has(op)) await tx.store.put({ adapter, op, variant, savedAt: now });
      await tx.done;
    },
  };
}
