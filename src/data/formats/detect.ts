// The upload entry point: takes the user's files, enforces the size limits, unpacks
// archives, picks the format by file names and magic numbers, parses, and returns a
// checked Dataset whose id is a SHA-256 of the input. An upload without a test set is
// split (stratified, seeded). Runs in a Worker or Node; image decoding is injected.

import { checkClassCount } from '../classes';
import { checkDataset, imageBytes, type Dataset, type ImageSplit } from '../dataset';
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

/** Which parser the (unpacked) files call for; throws 'unknown-format' or 'empty' when none does.
 * `listFiles` false leaves the file names out of that error (the caller names the one file). */
export function detectFormat(files: InputFile[], listFiles = true): DetectedFormat {
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
  const where =
    files.length === 0
      ? 'holds no files besides folders and OS clutter (__MACOSX, .DS_Store), so no dataset was found'
      : !listFiles
        ? 'no dataset found'
        : `no dataset found in ${files
            .slice(0, 5)
            .map((f) => f.name)
            .join(', ')}${files.length > 5 ? ', ...' : ''}`;
  throw new DatasetFormatError('unknown-format', `${where}; ${SUPPORTED}`);
}

const SUPPORTED =
  'supported are CIFAR-10/100 binary batches (.bin), MNIST-style IDX files (plain or .gz), labelled pixel CSV, zips of class folders of images, and the Tiny ImageNet zip (tiny-imagenet-200), each also inside .zip / .tar / .tar.gz';

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
  const dropped = droppedName(files);
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > maxBytes) {
    throw new DatasetFormatError(
      'too-large',
      `the upload is ${formatBytes(total)}, more than the ${formatBytes(maxBytes)} limit; upload fewer files, a smaller dataset, or raise the limit`,
      dropped,
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
    const format = detectFormat(leaves, !(files.length === 1 && leaves.length === 1 && leaves[0] === files[0]));
    const ofFormat = leaves.filter((f) => formatOf(f) === format);
    const parsed = await parseAs(format, ofFormat, leaves, dirs, opts);
    const { train, test, split } = splitsOf(parsed, opts);
    // The same files read with other options are another dataset, never a replacement.
    const reading = readingOf(format, parsed, split, opts);
    const dataset: Dataset = {
      id: reading.length ? await sha256Hex(new TextEncoder().encode(`${id}\0${reading.join('\0')}`)) : id,
      name: opts.name?.trim() || defaultUploadName(files, parsed.format, reading),
      channels: parsed.channels,
      height: parsed.height,
      width: parsed.width,
      classNames: parsed.classNames,
      train,
      test,
    };
    checkDataset(dataset);
    return dataset;
  } catch (e) {
    if (!(e instanceof DatasetFormatError)) throw e;
    // An error about no one file is named by what was dropped; one about a file from inside
    // an archive is named together with the archive the user dropped.
    if (!e.file) throw e.renamed(dropped);
    const archive = droppedAs.get(e.file);
    throw archive ? e.renamed(`${archive} (${e.file})`) : e;
  }
}

/** What the user dropped, for errors about the upload as a whole: the file, the folder
 * all files are in (a dropped folder), or the first file and how many more. */
function droppedName(files: Pick<InputFile, 'name'>[]): string {
  if (files.length === 1) return files[0].name;
  const tops = new Set(files.map((f) => (f.name.includes('/') ? f.name.split('/')[0] : '')));
  const folder = tops.size === 1 ? [...tops][0] : '';
  return folder ? `${folder}/` : `${files[0].name} and ${files.length - 1} more`;
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

/** The splits to store: the upload's own, or a held-out share of each class (`split`).
 * Errors about the data as a whole carry no file: the caller names the user's files. */
function splitsOf(p: ParsedImages, opts: ParseDatasetOptions): { train: ImageSplit; test: ImageSplit; split: boolean } {
  const whole = p.train ?? p.test;
  if (!whole) throw new DatasetFormatError('empty', 'the files hold no images');
  checkClassCount(
    p.classNames,
    [p.train, p.test].filter((s) => s !== null),
  );
  if (p.train && p.test) return { train: p.train, test: p.test, split: false };
  const { train, test } = stratifiedSplit(whole, imageBytes(p), {
    testFraction: opts.testFraction ?? DEFAULT_TEST_FRACTION,
    seed: opts.seed ?? 0,
  });
  if (train.count === 0 || test.count === 0) {
    throw new DatasetFormatError(
      'empty',
      `only ${whole.count} image(s), too few to hold out a test set; add images or upload a separate test set`,
    );
  }
  return { train, test, split: true };
}

const DEFAULT_TEST_FRACTION = 0.2;

/** The options that shaped the dataset besides its files, in words ("40% test", a CSV
 * shape "3×2×3"); empty when only defaults did, so an upload with the defaults keeps the plain
 * content-hash id (the same as the command line's --data gives). */
function readingOf(
  format: DetectedFormat,
  shape: Pick<ParsedImages, 'channels' | 'height' | 'width'>,
  split: boolean,
  opts: ParseDatasetOptions,
): string[] {
  const out: string[] = [];
  const csv = opts.csv ?? {};
  if (format === 'csv' && (csv.channels !== undefined || csv.height !== undefined || csv.width !== undefined))
    out.push(`${shape.channels}×${shape.height}×${shape.width}`);
  if (format === 'csv' && csv.header !== undefined) out.push(csv.header ? 'header row' : 'no header row');
  if (format === 'csv' && csv.pixelOrder !== undefined) out.push(`pixels ${csv.pixelOrder}`);
  const img = opts.images ?? {};
  if (format === 'image-folder' || format === 'tiny-imagenet') {
    if (img.size !== undefined)
      out.push(`resized to ${typeof img.size === 'number' ? `${img.size}×${img.size}` : `${img.size.height}×${img.size.width}`}`);
    if (img.channels !== undefined) out.push(img.channels === 1 ? 'grey' : 'RGB');
    if (img.resize !== undefined) out.push(`${img.resize} resize`);
  }
  if (split && (opts.testFraction ?? DEFAULT_TEST_FRACTION) !== DEFAULT_TEST_FRACTION)
    out.push(`${+(100 * opts.testFraction!).toFixed(2)}% test`);
  if (split && (opts.seed ?? 0) !== 0) out.push(`split seed ${opts.seed}`);
  return out;
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
