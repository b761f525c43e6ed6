// The life of an uploaded dataset in the lab: parse the user's files (in the Worker),
// report progress by phase, store the result, and find a dataset again by id, whether
// built-in or uploaded, with a helpful error when an upload is not in this browser.
// Parsing itself is src/data's; storage is datasetStore.ts.

import {
  dropEmptyClasses,
  createBrowserDecoder,
  formatBytes,
  isGzip,
  isTar,
  isZip,
  DEFAULT_MAX_UPLOAD_BYTES,
  parseDatasetFiles,
  sha256Hex,
  type ParseDatasetOptions,
} from '../data';
import type { Dataset, ImageDecoder } from '../data';
import { BUILTIN_DATASETS, loadBuiltinDataset, type AssetReader } from './datasets';
import type { DatasetStorage, StoredDatasetSummary } from './datasetStore';
import { checkStorageRoom, type StorageEstimator } from './storageRoom';
import { findStandardDataset, isStandardUpload, uploadHint, type StandardDataset } from './standardDatasets';
import { uploadProgress, type UploadProgress } from './uploadProgress';

export { uploadProgress, type UploadProgress } from './uploadProgress';

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

/** What the page may ask for; the image decoder is the Worker's own. */
export type UploadOptions = Omit<ParseDatasetOptions, 'images' | 'hooks'> & {
  images?: Omit<NonNullable<ParseDatasetOptions['images']>, 'decode'>;
};

const ARCHIVE_NAME = /\.(zip|tar|tgz|gz)$/i;

function hasArchive(files: UploadFile[]): boolean {
  return files.some((f) => ARCHIVE_NAME.test(f.name) || isGzip(f.bytes) || isZip(f.bytes) || isTar(f.bytes));
}

export interface UploadDeps {
  storage: DatasetStorage;
  /** For image-folder uploads; absent where there is no image decoding (Node). */
  decode?: ImageDecoder;
  /** The browser's storage estimate, asked before a long decode; navigator.storage's by default. */
  estimate?: StorageEstimator;
}

/** Parses and stores an upload. Throws the parser's DatasetFormatError, or the store's
 * DatasetStorageError (also when the browser's quota cannot hold a big upload, before it is
 * decoded), before anything is stored; a stored entry is always whole. `notes` tell the
 * user what the parser left out or assumed. */
export async function uploadDataset(
  files: UploadFile[],
  opts: UploadOptions,
  deps: UploadDeps,
  onProgress: (p: UploadProgress) => void = () => {},
): Promise<{ dataset: Dataset; summary: StoredDatasetSummary; notes: string[] }> {
  onProgress(uploadProgress(hasArchive(files) ? 'decompressing' : 'parsing'));
  const notes: string[] = [];
  let shown = -1;
  const hooks: ParseDatasetOptions['hooks'] = {
    beforeDecode: (plan) => checkStorageRoom(plan, deps.estimate),
    onDecodeProgress: (done, total) => {
      // One message per percent: 100,000 images must not flood the page.
      const pct = Math.floor((100 * done) / total);
      if (pct !== shown) onProgress(uploadProgress('decoding', done / total));
      shown = pct;
    },
    onNote: (note) => notes.push(note),
  };
  const dataset = await parseDatasetFiles(files, { ...opts, images: { ...opts.images, decode: deps.decode }, hooks });
  onProgress(uploadProgress('storing'));
  dataset.name = nameForStoring(dataset, await deps.storage.list());
  const summary = await deps.storage.put(dataset);
  onProgress(uploadProgress('done'));
  return { dataset, summary, notes };
}

/** `name`, or `name (2)`, `name (3)`... whichever no name in `taken` is. */
function uniqueName(name: string, taken: string[]): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  for (let n = 2; ; n++) if (!used.has(`${name} (${n})`)) return `${name} (${n})`;
}

/** The same data stored again keeps the name the user may have given it; new data gets
 * a name no other stored upload has. */
function nameForStoring(d: Pick<Dataset, 'id' | 'name'>, stored: StoredDatasetSummary[]): string {
  return (
    stored.find((s) => s.id === d.id)?.name ??
    uniqueName(
      d.name,
      stored.map((s) => s.name),
    )
  );
}

const MAX_NAME = 80;

/** The name as it will be stored, or throws saying what is wrong with it. */
export function checkDatasetName(name: string, id: string, stored: StoredDatasetSummary[]): string {
  const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  if (!clean) throw new Error('a dataset name cannot be empty; type a name');
  if (clean.length > MAX_NAME) throw new Error(`a dataset name can be at most ${MAX_NAME} characters (this one has ${clean.length})`);
  const other = stored.find((s) => s.name === clean && s.id !== id);
  if (other) throw new Error(`another stored upload is already named "${clean}"; choose a different name`);
  return clean;
}

/** Stores `d` without its empty classes under an id derived from d's, and returns it. */
export async function storeWithoutEmptyClasses(d: Dataset, storage: DatasetStorage): Promise<Dataset> {
  const id = await sha256Hex(new TextEncoder().encode(`${d.id}\0without-empty-classes`));
  const dropped = dropEmptyClasses(d, id, nameForStoring({ id, name: `${d.name} (empty classes dropped)` }, await storage.list()));
  await storage.put(dropped);
  return dropped;
}

/** A dataset from files without storing it (the command line): the same parsers and
 * the same content-hash id as an upload of those files. Image folders need a decoder,
 * which Node lacks. */
export function datasetFromFiles(files: UploadFile[], opts: UploadOptions = {}): Promise<Dataset> {
  return parseDatasetFiles(files, opts);
}

/** The Worker's PNG/JPEG decoder, or undefined where there is none (Node). */
export function browserImageDecoder(): ImageDecoder | undefined {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function' ? createBrowserDecoder() : undefined;
}

/** Why an upload of this many bytes would be refused, before the page reads it. */
export function uploadSizeProblem(totalBytes: number, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): string | undefined {
  if (totalBytes <= maxBytes) return undefined;
  return `the upload is ${formatBytes(totalBytes)}, more than the ${formatBytes(maxBytes)} limit; upload fewer files or a smaller dataset`;
}

function isBuiltinId(id: string): boolean {
  return BUILTIN_DATASETS.some((d) => d.id === id);
}

/** A built-in by name, else an upload from storage; throws asking for a missing upload. */
export async function loadAnyDataset(id: string, readAsset: AssetReader, storage: DatasetStorage | undefined): Promise<Dataset> {
  if (isBuiltinId(id)) return loadBuiltinDataset(id, readAsset);
  const std = findStandardDataset(id);
  if (std) return loadStandardUpload(std, storage);
  const found = storage ? await storage.get(id) : undefined;
  if (found) return found;
  throw new Error(missingDatasetMessage(id, storage ? await storage.remembered(id) : undefined));
}

/** The upload in `storage` that is `std`, under `std`'s name (so experiments and exports
 * say "cifar10", not the file's hash); the oldest one if several are. */
async function loadStandardUpload(std: StandardDataset, storage: DatasetStorage | undefined): Promise<Dataset> {
  const uploads = storage ? await storage.list() : [];
  for (const s of uploads.filter((u) => isStandardUpload(u, std)).sort((a, b) => a.addedAt - b.addedAt)) {
    const found = await storage!.get(s.id);
    if (found) return { ...found, id: std.id };
  }
  throw new Error(uploadHint(std));
}

const CONTENT_HASH = /^[0-9a-f]{64}$/;

export function missingDatasetMessage(id: string, known?: Pick<StoredDatasetSummary, 'name' | 'trainCount' | 'testCount'>): string {
  if (!known && !CONTENT_HASH.test(id)) {
    return `unknown dataset "${id}": choose a built-in one (${BUILTIN_DATASETS.map((d) => d.id).join(', ')}) or drop dataset files to upload one`;
  }
  const what = known
    ? `${known.name}, ${(known.trainCount + known.testCount).toLocaleString('en-US')} images`
    : `content hash ${id.slice(0, 12)}…`;
  return `this experiment uses an uploaded dataset (${what}) that is not in this browser: drop the file to add it, or choose another dataset`;
}
