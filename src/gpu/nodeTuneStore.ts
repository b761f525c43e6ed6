// Kernel choices (tuner.ts) persisted in Node as one JSON file: { adapter: { op: variant } }
// with op keys `<kind> <shape> #<code hash>`, at RISOTTO_TUNE_CACHE or under the user's
// cache directory. Entries of another form (files from before the code hash) are ignored
// and dropped at the next save. Node only (tests, CLI, benches); the browser's store
// (IndexedDB, browserTuneStore.ts) implements the same TuneStore interface.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanChoices, mergeChoices, type TuneStore } from './tuner';

export function defaultTuneCachePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RISOTTO_TUNE_CACHE) return env.RISOTTO_TUNE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'risotto-lab', 'kernel-choices.json');
}

/** Tuning on or off in Node: RISOTTO_TUNE=1 / 0 decides; unset, it is on except under
 * Vitest, so tests stay deterministic unless they ask for it. */
export function tuningFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.RISOTTO_TUNE !== undefined) return env.RISOTTO_TUNE === '1';
  return !env.VITEST;
}

async function readAll(path: string): Promise<Record<string, unknown>> {
  try {
    const data: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {}; // missing or unreadable: start afresh (the file is only a cache)
  }
}

export function fileTuneStore(path = defaultTuneCachePath()): TuneStore {
  return {
    load: async (adapter) => cleanChoices(own(await readAll(path), adapter)),
    async save(adapter, choices) {
      const all = await readAll(path);
      all[adapter] = mergeChoices(own(all, adapter), choices);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(all, null, 1)}\n`);
      await rename(tmp, path);
    },
  };
}

/** An own property only: an adapter string never reaches the prototype. */
function own(all: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(all, key) ? all[key] : undefined;
}
