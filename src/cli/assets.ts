// Reads files shipped under public/ from disk (the CLI's AssetReader).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readAsset(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(process.cwd(), 'public', path)));
}
