// Kernel choices (tuner.ts) persisted in Node as one JSON file: { adapter: { op: variant } },
// at RISOTTO_TUNE_CACHE or under the user's cache directory. Node only (tests, CLI, benches);
// the browser's store (IndexedDB) implements the same TuneStore interface.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TuneStore } from './tuner';

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

async function readAll(path: string): Promise<Record<string, Record<string, string>>> {
  try {
    const data: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof data === 'object' && data !== null ? (data as Record<string, Record<string, string>>) : {};
  } catch {
    return {}; // missing or unreadable: start afresh (the file is only a cache)
  }
}

export function fileTuneStore(path = defaultTuneCachePath()): TuneStore {
  return {
    load: async (adapter) => ({ ...(await readAll(path))[adapter] }),
    async save(adapter, choices) {
      const all = await readAll(path);
      all[adapter] = choices;
      await mkdir(dirname(path), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(all, null, 1)}\n`);
      await rename(tmp, path);
    },
  };
}
