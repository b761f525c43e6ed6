// The upload entry point: takes the user's files, enforces the size limits, unpacks
// archives, picks the format by file names and magic numbers, parses, and returns a
// checked Dataset whose id is a SHA-256 of the input. An upload without a test set is
// split (stratified, seeded). Runs in a Worker or Node; image decoding is injected.

import { checkClassCount } from '../classes';
import { checkDataset, imageBytes, type Dataset } from '../dataset';
import { stratifiedSplit } from '../split';
import { expandArchives } from './archive';
import { cifarKind, isCifarMetaFile, parseCifar } from './cifar';
import type { InputFile, ParsedImages } from './common';
import { isCsvName, parseCsvFiles, type CsvOptions } from './csv';
import { DatasetFormatError } from './errors';
import { isIdxName, looksLikeIdx, parseIdxFiles } from './idx';
import { imageMime, isImageName, parseImageFolder, type ImageDecoder, type ImageFolderOptions } from './imageFolder';
import { DEFAULT_EXPANSION_LIMITS, ExpansionBudget, formatBytes, type ExpansionLimits } from './inflate';
import { parseTinyImageNet, tinyImageNetRoot, type ParseHooks } from './tinyImageNet';
import { defaultUploadName } from './uploadName';

export type DetectedFormat = 'cifar' | 'idx' | 'csv' | 'image-folder' | 'tiny-imagenet';

export interface ParseDatasetOptions {
  /** Share of each class held out when the upload has no test set. Default 0.2. */
  testFraction?: number;
  /** Seed of that split. Default 0. */
  seed?: number;
  /** Largest total upload accepted, before unpacking. Default 512 MiB. */
  maxBytes?: number;
  /** Zip-bomb guard for archives; see inflate.ts for the defaults. */
  limits?: Partial<ExpansionLimits>;
  /** Display name; by default the archive's or folder's name and the format (uploadName.ts). */
  name?: string;
  csv?: CsvOptions;
  /** Needed only for image folders and Tiny ImageNet: the decoder, and optionally size, channels, resize mode. */
  images?: Partial<Omit<ImageFolderOptions, 'decode'>> & { decode?: ImageDecoder };
  /** Progress, notes and a last check before a long decode (Tiny ImageNet). */
  hooks?: ParseHooks;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 ** 2;

/** Which parser the (unpacked) files call for; throws 'unknown-format' or 'empty' when none does. */
export function detectFormat(files: InputFile[]): DetectedFormat {
  // Its JPEGs alone would read as class folders named "images"; wnids.txt and the tree say otherwise.
  if (tinyImageNetRoot(files) !== null) return 'tiny-imagenet';
  const found = new Map<DetectedFormat, string>();
  for (const f of files) {
    const kind = formatOf(f);
    if (kind && !found.has(kind)) found.set(kind, f.name);
  }
  if (found.size === 1) return [...found.keys()][0];
  if (found.size > 1) {
    const list = [...found].map(([k, name]) => `${k} (${name})`).join(' and ');
    throw new DatasetFormatError('unknown-format', `the upload mixes formats: ${list}; upload one dataset at a time`);
  }
  if (files.length > 0 && files.every((f) => f.bytes.length === 0))
    throw new DatasetFormatError('empty', 'every file in the upload is empty');
  const names =
    files
      .slice(0, 5)
      .map((f) => f.name)
      .join(', ') || 'nothing';
  throw new DatasetFormatError(
    'unknown-format',
    `no dataset found in ${names}${files.length > 5 ? ', ...' : ''}; supported are CIFAR-10/100 binary batches (.bin), MNIST-style IDX files (plain or .gz), labelled pixel CSV, zips of class folders of images, and the Tiny ImageNet zip (tiny-imagenet-200), each also inside .zip / .tar / .tar.gz`,
  );
}

function formatOf(f: InputFile): DetectedFormat | null {
  if (looksLikeIdx(f.bytes) || isIdxName(f.name)) return 'idx';
  if (cifarKind(f.name, f.bytes.length)) return 'cifar';
  if (isCsvName(f.name)) return 'csv';
  if (imageMime(f.name, f.bytes) || isImageName(f.name)) return 'image-folder';
  return null;
}

export async function parseDatasetFiles(files: InputFile[], opts: ParseDatasetOptions = {}): Promise<Dataset> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!(maxBytes > 0)) throw new Error(`parseDatasetFiles: maxBytes must be a positive number, got ${String(maxBytes)}`);
  if (files.length === 0) throw new DatasetFormatError('empty', 'no files were given; choose the dataset files or an archive of them');
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > maxBytes) {
    throw new DatasetFormatError(
      'too-large',
      `the upload is ${formatBytes(total)}, more than the ${formatBytes(maxBytes)} limit; upload fewer files, a smaller dataset, or raise the limit`,
    );
  }
  for (const f of files) {
    if (f.bytes.length === 0)
      throw new DatasetFormatError('empty', 'is empty (0 bytes); the upload or download did not finish, try again', f.name);
  }
  const id = await datasetContentId(files);
  const budget = new ExpansionBudget({ ...DEFAULT_EXPANSION_LIMITS, ...opts.limits });
  const { files: leaves, dirs, droppedAs } = expandArchives(files, budget);
  try {
    const format = detectFormat(leaves);
    const ofFormat = leaves.filter((f) => formatOf(f) === format);
    const parsed = await parseAs(format, ofFormat, leaves, dirs, opts);
    const dropped = files.length === 1 ? files[0].name : `${files[0].name} and ${files.length - 1} more`;
    return finish(parsed, id, opts.name?.trim() || defaultUploadName(files, parsed.format), dropped, opts);
  } catch (e) {
    // A file from inside an archive is named together with the archive the user dropped.
    const dropped = e instanceof DatasetFormatError && e.file ? droppedAs.get(e.file) : undefined;
    throw dropped ? (e as DatasetFormatError).renamed(`${dropped} (${(e as DatasetFormatError).file})`) : e;
  }
}

async function parseAs(
  format: DetectedFormat,
  files: InputFile[],
  all: InputFile[],
  dirs: string[],
  opts: ParseDatasetOptions,
): Promise<ParsedImages> {
  switch (format) {
    case 'cifar':
      return parseCifar(
        files,
        all.filter((f) => isCifarMetaFile(f.name)),
      );
    case 'idx':
      return parseIdxFiles(files);
    case 'csv':
      return parseCsvFiles(files, opts.csv);
    case 'image-folder':
      // All files, not just images: a class folder holding only non-images is an empty class.
      return parseImageFolder(all, dirs, imageOptions(opts));
    case 'tiny-imagenet':
      return parseTinyImageNet(all, tinyImageNetRoot(all)!, { ...imageOptions(opts), ...opts.hooks });
  }
}

function imageOptions(opts: ParseDatasetOptions): ImageFolderOptions {
  const { decode, ...rest } = opts.images ?? {};
  if (!decode)
    throw new Error(
      'parseDatasetFiles: this upload holds images, which needs opts.images.decode (createBrowserDecoder() in a browser or Worker)',
    );
  return { ...rest, decode };
}

/** `dropped` names the user's files in errors about the data as a whole. */
function finish(p: ParsedImages, id: string, name: string, dropped: string, opts: ParseDatasetOptions): Dataset {
  const whole = p.train ?? p.test;
  if (!whole) throw new DatasetFormatError('empty', 'the files hold no images');
  checkClassCount(
    p.classNames,
    [p.train, p.test].filter((s) => s !== null),
    dropped,
  );
  let train = p.train && p.test ? p.train : whole;
  let test = p.train && p.test ? p.test : null;
  if (!test) {
    const halves = stratifiedSplit(whole, imageBytes(p), { testFraction: opts.testFraction ?? 0.2, seed: opts.seed ?? 0 });
    ({ train, test } = halves);
  }
  if (train.count === 0 || test.count === 0) {
    throw new DatasetFormatError(
      'empty',
      `only ${whole.count} image(s), too few to hold out a test set; add images or upload a separate test set`,
    );
  }
  const dataset: Dataset = { id, name, channels: p.channels, height: p.height, width: p.width, classNames: p.classNames, train, test };
  checkDataset(dataset);
  return dataset;
}

/** SHA-256 (hex) over the files' names and bytes, independent of their order. */
export async function datasetContentId(files: InputFile[]): Promise<string> {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Per-file digests first, so a large upload is never concatenated into one more copy.
  const lines: string[] = [];
  for (const f of sorted) lines.push(`${f.name}\0${f.bytes.length}\0${await sha256Hex(f.bytes)}\n`);
  return sha256Hex(new TextEncoder().encode(lines.join('')));
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
