// Shared shapes for the format parsers: the input file record, the parsers' common
// result (splits that may be missing, to be completed by detect.ts), and small path
// and split helpers. No parsing of any particular format lives here.

import type { ImageSplit } from '../dataset';
import { DatasetFormatError } from './errors';

/** One uploaded file, or one entry of an unpacked archive (name = path inside it). */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** What a parser found: image dims, classes, and the splits the files named. */
export interface ParsedImages {
  /** Human name of the format, e.g. "CIFAR-10". */
  format: string;
  channels: number;
  height: number;
  width: number;
  classNames: string[];
  /** null when the files held no such split; detect.ts then splits the other one. */
  train: ImageSplit | null;
  test: ImageSplit | null;
}

export type SplitRole = 'train' | 'test';

/** The last path segment, lower-cased: names from archives carry folders. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}

/** Test files are named with test / t10k / val; everything else trains. */
export function roleFromName(path: string): SplitRole {
  return /(^|[^a-z])(test|testing|t10k|val|valid|validation)([^a-z]|$)/.test(baseName(path)) ? 'test' : 'train';
}

/** Labels in the narrowest array that holds `classes` distinct values. */
export function makeLabels(count: number, classes: number): Uint8Array | Uint16Array {
  return classes <= 256 ? new Uint8Array(count) : new Uint16Array(count);
}

/** One split from several, in the given order (e.g. CIFAR's five train batches). */
export function concatSplits(parts: ImageSplit[], perImage: number, classes: number): ImageSplit {
  const count = parts.reduce((n, p) => n + p.count, 0);
  if (parts.length === 1) return parts[0];
  const pixels = new Uint8Array(count * perImage);
  const labels = makeLabels(count, classes);
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * perImage);
    labels.set(p.labels, at);
    at += p.count;
  }
  return { pixels, labels, count };
}

/** Throws 'label-range' naming the first label at or above `classes`. */
export function checkLabels(labels: ArrayLike<number>, classes: number, file: string, fix: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DatasetFormatError(
        'label-range',
        `item ${i} has label ${labels[i]}, but there are only ${classes} classes (0..${classes - 1}); ${fix}`,
        file,
      );
    }
  }
}
