// How every CLI command writes files: nothing that already exists is replaced unless
// --force says so (or it is the command's own earlier output, recognised by its format
// marker), and each file written is reported. Not what the files hold.

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

/** Throws, naming them, when any of `paths` exists and `force` is off. */
export function refuseToReplace(paths: string[], force: boolean, fix: string): void {
  const taken = paths.filter((p) => existsSync(p));
  for (const p of taken) if (statSync(p).isDirectory()) throw new Error(`${p} is a folder, where a file was to be written; ${fix}`);
  if (taken.length === 0 || force) return;
  const list = taken.length > 3 ? `${taken.slice(0, 3).join(', ')} and ${taken.length - 3} more` : taken.join(', ');
  throw new Error(
    `${list} already exist${taken.length === 1 ? 's' : ''} and would be replaced; ${fix}, or add --force to replace ${taken.length === 1 ? 'it' : 'them'}`,
  );
}

/** Writes the files (creating folders) and says what was written, and what replaced. */
export function writeOutputs(files: OutputFile[], log: (s: string) => void): void {
  for (const f of files) {
    const existed = existsSync(f.path);
    mkdirSync(dirname(f.path) || '.', { recursive: true });
    writeFileSync(f.path, f.data);
    const bytes = typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length;
    log(`${existed ? 'replaced' : 'wrote'} ${f.path} (${formatSize(bytes)})`);
  }
}

function formatSize(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
