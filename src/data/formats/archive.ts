// Unpacks an upload's archives into plain files: .zip (fflate), .tar (nanotar),
// .gz / .tgz / .tar.gz (inflate.ts), nested up to MAX_DEPTH, all under one shared
// expansion budget so zip bombs fail before they fill memory. Skips OS clutter
// (__MACOSX, ._*, .DS_Store). Knows nothing about the dataset formats inside.

import { unzipSync } from 'fflate';
import { parseTar, type ParsedTarFileItem } from 'nanotar';
import { crc32 } from '../../util';
import { DatasetFormatError } from './errors';
import { baseName, type InputFile } from './common';
import { checksumError, ExpansionBudget, gunzipLimited, isGzip } from './inflate';
import { zipEntryCrcs } from './zipDirectory';

export interface ExpandedUpload {
  /** Every non-archive file, named by its path inside its archive. */
  files: InputFile[];
  /** Directory paths the archives list (with a trailing '/'), so empty folders stay visible. */
  dirs: string[];
  /** For each file that came out of an archive: the name of the file the user dropped. */
  droppedAs: Map<string, string>;
}

const MAX_DEPTH = 4;

export function isZip(bytes: Uint8Array): boolean {
  // Local file header, or the end record alone (an empty zip).
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))
  );
}

export function isTar(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  const magic = String.fromCharCode(...bytes.subarray(257, 262));
  return magic === 'ustar';
}

/** Files the OS adds to archives and nobody means as data. */
function isClutter(path: string): boolean {
  const base = baseName(path);
  return /(^|\/)__MACOSX\//.test(path) || base.startsWith('._') || base === '.ds_store' || base === 'thumbs.db' || base === 'desktop.ini';
}

export function expandArchives(files: InputFile[], budget = new ExpansionBudget()): ExpandedUpload {
  const out: ExpandedUpload = { files: [], dirs: [], droppedAs: new Map() };
  for (const f of files) {
    try {
      expandOne(f, budget, 0, out, f.name);
    } catch (e) {
      throw e instanceof DatasetFormatError ? namedAsDropped(e, f.name) : e;
    }
  }
  return out;
}

/** An error about a path inside an archive, named by the archive the user dropped; the inner
 * name stays when it is a real entry, not one made up by stripping .gz. */
function namedAsDropped(e: DatasetFormatError, dropped: string): DatasetFormatError {
  if (!e.file || e.file === dropped || e.file.startsWith(`${dropped} `)) return e;
  const madeUp = e.file === gunzippedName(dropped);
  return e.renamed(madeUp ? dropped : `${dropped} (${e.file})`);
}

const gunzippedName = (name: string) => name.replace(/\.tgz$/i, '.tar').replace(/\.gz$/i, '');

function expandOne(file: InputFile, budget: ExpansionBudget, depth: number, out: ExpandedUpload, dropped: string): void {
  if (isClutter(file.name)) return;
  const name = file.name.toLowerCase();
  const nested = () => {
    if (depth >= MAX_DEPTH) {
      throw new DatasetFormatError(
        'archive-too-large',
        `archives are nested more than ${MAX_DEPTH} deep; unpack the outer ones and upload the inner archive`,
        file.name,
      );
    }
  };
  if (isZip(file.bytes) || name.endsWith('.zip')) {
    nested();
    for (const entry of unzipEntries(file, budget, out.dirs)) expandOne(entry, budget, depth + 1, out, dropped);
  } else if (isGzip(file.bytes) || name.endsWith('.gz') || name.endsWith('.tgz')) {
    nested();
    expandOne({ name: gunzippedName(file.name), bytes: gunzipLimited(file.name, file.bytes, budget) }, budget, depth + 1, out, dropped);
  } else if (isTar(file.bytes) || name.endsWith('.tar')) {
    nested();
    for (const entry of tarEntries(file, out.dirs)) expandOne(entry, budget, depth + 1, out, dropped);
  } else {
    out.files.push(file);
    if (depth > 0) out.droppedAs.set(file.name, dropped);
  }
}

function unzipEntries(file: InputFile, budget: ExpansionBudget, dirs: string[]): InputFile[] {
  if (!isZip(file.bytes))
    throw new DatasetFormatError(
      'bad-magic',
      'is named .zip but does not start with the zip signature "PK"; upload the original zip file',
      file.name,
    );
  // First pass reads only the central directory, so declared sizes are judged before any inflating.
  let declared = 0;
  // fflate inflates without checking CRC-32, so each entry's stored CRC is kept to check after.
  const wanted = new Map<string, number>();
  const crcs = zipCall(file, () => zipEntryCrcs(file.bytes));
  let index = 0;
  zipCall(file, () =>
    unzipSync(file.bytes, {
      filter: (entry) => {
        const crc = crcs[index++];
        if (entry.name.endsWith('/')) dirs.push(entry.name);
        else if (!isClutter(entry.name)) {
          if (entry.compression !== 0 && entry.compression !== 8) {
            throw new DatasetFormatError(
              'unknown-format',
              `entry ${entry.name} uses zip compression method ${entry.compression}; re-create the zip with ordinary (deflate) compression`,
              file.name,
            );
          }
          budget.check(`${file.name} (${entry.name})`, entry.size, entry.originalSize, declared);
          declared += entry.originalSize;
          wanted.set(entry.name, crc);
        }
        return false;
      },
    }),
  );
  budget.check(file.name, file.bytes.length, declared);
  // fflate inflates each entry into a buffer of its declared size, so a lying header cannot grow it.
  const unpacked = zipCall(file, () => unzipSync(file.bytes, { filter: (entry) => wanted.has(entry.name) }));
  const entries = Object.entries(unpacked).map(([name, bytes]) => ({ name, bytes }));
  for (const e of entries) if (crc32(e.bytes) !== wanted.get(e.name)) throw checksumError(file.name, `zip entry ${e.name}`);
  budget.take(entries.reduce((n, e) => n + e.bytes.length, 0));
  return entries;
}

function zipCall<T>(file: InputFile, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof DatasetFormatError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/invalid zip data/i.test(message)) {
      throw new DatasetFormatError(
        'truncated',
        'the zip has no readable end-of-archive record; it is probably cut off, download or zip it again',
        file.name,
      );
    }
    if (/unexpected EOF/i.test(message)) {
      throw new DatasetFormatError('truncated', 'a zip entry ends early; the zip is probably cut off, download or zip it again', file.name);
    }
    throw new DatasetFormatError('corrupt', `the zip is damaged (${message}); download or zip it again`, file.name);
  }
}

function tarEntries(file: InputFile, dirs: string[]): InputFile[] {
  if (!isTar(file.bytes))
    throw new DatasetFormatError('bad-magic', 'is named .tar but has no "ustar" tar header; upload the original tar file', file.name);
  // nanotar reads from data.buffer at absolute offsets, so hand it a buffer of its own.
  const { bytes } = file;
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  let items: ParsedTarFileItem[];
  try {
    items = parseTar(own);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new DatasetFormatError(
        'truncated',
        'a tar entry runs past the end of the file; the archive is probably cut off, download it again',
        file.name,
      );
    }
    throw new DatasetFormatError(
      'corrupt',
      `the tar is damaged (${e instanceof Error ? e.message : String(e)}); download it again`,
      file.name,
    );
  }
  const entries: InputFile[] = [];
  for (const item of items) {
    if (item.type === 'directory') dirs.push(item.name.endsWith('/') ? item.name : `${item.name}/`);
    else if (item.type === 'file' || item.type === 'contiguousFile') {
      if (item.size > 0 && (!item.data || item.data.length !== item.size)) {
        throw new DatasetFormatError('truncated', `tar entry ${item.name} is cut off; download the archive again`, file.name);
      }
      entries.push({ name: item.name, bytes: item.data ?? new Uint8Array(0) });
    }
  }
  return entries;
}
