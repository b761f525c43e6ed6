// MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST...): unsigned-byte images
// (magic 0x00000803: count, rows, cols) and labels (0x00000801: count), big-endian
// dims, plain or gzipped. Pairs images with labels by file name (train-images-idx3-ubyte
// with train-labels-idx1-ubyte, t10k-* for test). Other IDX element types are refused.

import { DatasetFormatError } from './errors';
import { baseName, checkLabels, concatSplits, roleFromName, type InputFile, type ParsedImages, type SplitRole } from './common';
import { ExpansionBudget, gunzipLimited, isGzip } from './inflate';
import type { ImageSplit } from '../dataset';

export interface IdxArray {
  dims: number[];
  /** The element bytes after the header (a view, not a copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;

export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** True when the bytes start like an unsigned-byte IDX file of 1 or 3 dims. */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === UBYTE && (bytes[3] === 1 || bytes[3] === 3);
}

export function isIdxName(name: string): boolean {
  return /idx[13][-.]ubyte(\.gz)?$/.test(baseName(name));
}

/** Reads one IDX file, gunzipping it first when it is gzipped. */
export function parseIdx(file: InputFile, budget = new ExpansionBudget()): IdxArray {
  const bytes = isGzip(file.bytes) ? gunzipLimited(file.name, file.bytes, budget) : file.bytes;
  if (bytes.length === 0) throw new DatasetFormatError('empty', 'the file is empty; upload the IDX file itself', file.name);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetFormatError(
      'bad-magic',
      'does not start with an IDX magic number (00 00 08 01 for labels, 00 00 08 03 for images); it is not an MNIST-style IDX file',
      file.name,
    );
  }
  if (bytes[2] !== UBYTE) {
    throw new DatasetFormatError(
      'unknown-format',
      `holds IDX elements of type 0x${bytes[2].toString(16).padStart(2, '0')}; only unsigned bytes (0x08), as in MNIST, are supported`,
      file.name,
    );
  }
  const ndims = bytes[3];
  if (ndims !== 1 && ndims !== 3) {
    throw new DatasetFormatError(
      'bad-magic',
      `has ${ndims} dimensions; IDX labels have 1 (magic 00 00 08 01) and images 3 (00 00 08 03)`,
      file.name,
    );
  }
  const header = 4 + 4 * ndims;
  if (bytes.length < header)
    throw new DatasetFormatError('truncated', `ends inside its ${header}-byte header; download it again`, file.name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - header;
  const shape = dims.join(' x ');
  if (have < expected) {
    throw new DatasetFormatError(
      'truncated',
      `the header says ${shape} = ${expected} bytes of data but only ${have} follow; the file is cut off, download it again`,
      file.name,
    );
  }
  if (have > expected) {
    throw new DatasetFormatError(
      'size-mismatch',
      `the header says ${shape} = ${expected} bytes of data but ${have} follow; the header does not describe this data`,
      file.name,
    );
  }
  if (expected === 0) throw new DatasetFormatError('empty', `holds no items (dims ${shape})`, file.name);
  return { dims, data: bytes.subarray(header) };
}

/** Name with the images/labels part blanked, so the two halves of a pair share it. */
function pairKey(name: string): string {
  return baseName(name)
    .replace(/\.gz$/, '')
    .replace(/[-_.]?idx[13][-.]ubyte$/, '')
    .replace(/images?|labels?/, '*');
}

interface IdxPair {
  key: string;
  images?: { file: InputFile; arr: IdxArray };
  labels?: { file: InputFile; arr: IdxArray };
}

/** All IDX files of one upload as one dataset; every images file needs its labels file. */
export function parseIdxFiles(files: InputFile[], budget = new ExpansionBudget()): ParsedImages {
  const pairs = new Map<string, IdxPair>();
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const arr = parseIdx(file, budget);
    const key = pairKey(file.name);
    const pair = pairs.get(key) ?? { key };
    const slot = arr.dims.length === 3 ? 'images' : 'labels';
    if (pair[slot]) {
      throw new DatasetFormatError(
        'unknown-format',
        `both ${pair[slot].file.name} and ${file.name} look like the ${slot} of one split; upload each file once`,
        file.name,
      );
    }
    pair[slot] = { file, arr };
    pairs.set(key, pair);
  }
  let dims: number[] | null = null;
  const splits: Record<SplitRole, ImageSplit[]> = { train: [], test: [] };
  for (const pair of pairs.values()) {
    const { images, labels } = pair;
    if (!images || !labels) {
      const have = (images ?? labels)!.file.name;
      const want = images ? 'labels (idx1-ubyte)' : 'images (idx3-ubyte)';
      throw new DatasetFormatError(
        'missing-file',
        `has no matching ${want} file; upload both halves, e.g. train-images-idx3-ubyte with train-labels-idx1-ubyte`,
        have,
      );
    }
    const [count, h, w] = images.arr.dims;
    if (labels.arr.dims[0] !== count) {
      throw new DatasetFormatError(
        'count-mismatch',
        `holds ${count} images but ${labels.file.name} holds ${labels.arr.dims[0]} labels; they must come from the same download`,
        images.file.name,
      );
    }
    if (dims && (dims[1] !== h || dims[2] !== w)) {
      throw new DatasetFormatError(
        'size-mismatch',
        `has ${h}x${w} images but other files have ${dims[1]}x${dims[2]}; all files must come from one dataset`,
        images.file.name,
      );
    }
    dims = images.arr.dims;
    splits[roleFromName(images.file.name)].push({ pixels: images.arr.data, labels: labels.arr.data, count });
  }
  const all = [...splits.train, ...splits.test];
  if (!dims || all.length === 0) throw new DatasetFormatError('empty', 'no IDX images found');
  const fashion = files.some((f) => /fashion/i.test(f.name));
  let maxLabel = 0;
  for (const s of all) for (const v of s.labels) maxLabel = Math.max(maxLabel, v);
  const classNames = fashion ? FASHION_MNIST_CLASS_NAMES : Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  for (const pair of pairs.values())
    checkLabels(
      pair.labels!.arr.data,
      classNames.length,
      pair.labels!.file.name,
      'Fashion-MNIST has labels 0..9; this labels file belongs to another dataset',
    );
  const per = dims[1] * dims[2];
  return {
    format: fashion ? 'Fashion-MNIST' : 'IDX (MNIST-style)',
    channels: 1,
    height: dims[1],
    width: dims[2],
    classNames,
    train: splits.train.length ? concatSplits(splits.train, per, classNames.length) : null,
    test: splits.test.length ? concatSplits(splits.test, per, classNames.length) : null,
  };
}
