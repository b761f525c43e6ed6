// Where the lab gets a dataset by name: the built-ins (generated, or shipped under
// public/ and read through an injected reader). Uploaded files are parsed by src/data
// and stored by the UI.

import type { Dataset } from '../data';
import { BUILTIN_DATASETS, findBuiltinDataset, type FetchBytes } from '../data';

/** Reads a file shipped under public/ (fetch in the browser, fs in Node). */
export type AssetReader = FetchBytes;

export { BUILTIN_DATASETS };

export async function loadBuiltinDataset(name: string, read: AssetReader): Promise<Dataset> {
  return findBuiltinDataset(name).load(read);
}
