// Labelled pixel CSV (the Kaggle MNIST / Fashion-MNIST layout): one image per row,
// the label first, then pixel values 0..255; comma, semicolon or tab separated; an
// optional header row (detected when a pixel column is not a number). Labels are class
// indices when every label is a number, else class names (sorted). No quoted commas.

import { DatasetFormatError } from './errors';
import { makeLabels, roleFromName, type InputFile, type ParsedImages, type SplitRole } from './common';
import type { ImageSplit } from '../dataset';

export interface CsvOptions {
  /** Image dims; when left out, N pixels per row means a grey sqrt(N) square or, for N = 3 s^2, RGB s x s. */
  channels?: 1 | 3;
  height?: number;
  width?: number;
  /** Force (true) or forbid (false) a header row; by default it is detected. */
  header?: boolean;
  /** Colour rows as R plane, G plane, B plane ('chw', default) or as RGB per pixel ('hwc'). */
  pixelOrder?: 'chw' | 'hwc';
}

interface RawCsv {
  file: string;
  labels: string[];
  /** 1-based line number of each row, for error messages. */
  lines: number[];
  pixels: Uint8Array;
  perRow: number;
}

const MAX_CLASSES = 65536;

export function isCsvName(name: string): boolean {
  return /\.(csv|tsv)$/i.test(name);
}

export function parseCsvFiles(files: InputFile[], opts: CsvOptions = {}): ParsedImages {
  const raws = files.map((f) => parseCsvRows(f, opts));
  const perRow = raws[0].perRow;
  for (const r of raws) {
    if (r.perRow !== perRow)
      throw new DatasetFormatError(
        'size-mismatch',
        `rows have ${r.perRow} pixel values but ${raws[0].file} has ${perRow}; all files must hold images of one size`,
        r.file,
      );
  }
  const { channels, height, width } = inferDims(perRow, opts, raws[0].file);
  const { indexOf, classNames } = labelIndex(raws);
  const parts: Record<SplitRole, RawCsv[]> = { train: [], test: [] };
  for (const r of raws) parts[roleFromName(r.file)].push(r);
  const build = (rs: RawCsv[]): ImageSplit | null => {
    if (rs.length === 0) return null;
    const count = rs.reduce((n, r) => n + r.labels.length, 0);
    const pixels = new Uint8Array(count * perRow);
    const labels = makeLabels(count, classNames.length);
    let at = 0;
    for (const r of rs) {
      for (let i = 0; i < r.labels.length; i++, at++) {
        labels[at] = indexOf(r, i);
        const row = r.pixels.subarray(i * perRow, (i + 1) * perRow);
        if (opts.pixelOrder === 'hwc' && channels === 3) hwcToChw(row, pixels.subarray(at * perRow, (at + 1) * perRow));
        else pixels.set(row, at * perRow);
      }
    }
    return { pixels, labels, count };
  };
  return { format: 'CSV', channels, height, width, classNames, train: build(parts.train), test: build(parts.test) };
}

function hwcToChw(src: Uint8Array, dst: Uint8Array): void {
  const plane = src.length / 3;
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) dst[c * plane + p] = src[3 * p + c];
}

function inferDims(n: number, opts: CsvOptions, file: string): { channels: number; height: number; width: number } {
  const { height, width } = opts;
  const fail = (what: string): never => {
    throw new DatasetFormatError('size-mismatch', `rows have ${n} pixel values, ${what}`, file);
  };
  if (height !== undefined || width !== undefined) {
    if (!isPosInt(height) || !isPosInt(width)) fail('and height and width must both be given as positive integers');
    const c = opts.channels ?? n / (height! * width!);
    if (c !== 1 && c !== 3) fail(`which is not 1 or 3 channels of ${height}x${width}; check the stated height and width`);
    if (c * height! * width! !== n)
      fail(`but ${c} x ${height} x ${width} = ${c * height! * width!}; check the stated channels, height and width`);
    return { channels: c, height: height!, width: width! };
  }
  const channelsToTry = opts.channels ? [opts.channels] : [1, 3];
  for (const c of channelsToTry) {
    const s = Math.round(Math.sqrt(n / c));
    if (s > 0 && c * s * s === n) return { channels: c, height: s, width: s };
  }
  return fail(
    opts.channels
      ? `which is not ${opts.channels} square image planes; give the height and width (the CSV shape in the upload options, or --csv-shape with --data on the command line)`
      : 'which is neither s*s (a grey square) nor 3*s*s (an RGB square); give the channels, height and width (the CSV shape in the upload options, or --csv-shape with --data on the command line)',
  );
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Numbers are class indices; any non-number label makes every label a class name. */
function labelIndex(raws: RawCsv[]): { indexOf: (r: RawCsv, i: number) => number; classNames: string[] } {
  const numeric = raws.every((r) => r.labels.every((t) => t.trim() !== '' && Number.isFinite(Number(t))));
  if (numeric) {
    let max = -1;
    for (const r of raws) {
      r.labels.forEach((t, i) => {
        const v = Number(t);
        if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) {
          throw new DatasetFormatError(
            'label-range',
            `line ${r.lines[i]}: label ${t} is not a class index 0..${MAX_CLASSES - 1}; labels must be whole numbers from 0, or all class names`,
            r.file,
          );
        }
        max = Math.max(max, v);
      });
    }
    return { indexOf: (r, i) => Number(r.labels[i]), classNames: Array.from({ length: max + 1 }, (_, i) => String(i)) };
  }
  const names = [...new Set(raws.flatMap((r) => r.labels))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length > MAX_CLASSES)
    throw new DatasetFormatError(
      'label-range',
      `has ${names.length} distinct labels; at most ${MAX_CLASSES} classes are supported`,
      raws[0].file,
    );
  const index = new Map(names.map((n, i) => [n, i]));
  return { indexOf: (r, i) => index.get(r.labels[i])!, classNames: names };
}

function parseCsvRows(file: InputFile, opts: CsvOptions): RawCsv {
  const b = file.bytes;
  const text = new TextDecoder();
  let pos = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let lineNo = 0;
  let sep = -1;
  let perRow = -1;
  let pixels = new Uint8Array(0);
  const labels: string[] = [];
  const lines: number[] = [];
  let headerDecided = opts.header !== undefined;
  let skipNext = opts.header === true;
  while (pos < b.length) {
    let end = b.indexOf(10, pos);
    if (end < 0) end = b.length;
    const line = b.subarray(pos, end > pos && b[end - 1] === 13 ? end - 1 : end);
    pos = end + 1;
    lineNo++;
    if (isBlank(line)) continue;
    if (sep < 0) sep = line.includes(44) ? 44 : line.includes(9) ? 9 : 59;
    // Splitting into views is fine for the first rows; data rows are read in place by readPixels.
    const fields = perRow < 0 ? splitFields(line, sep) : [];
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (!headerDecided) {
      headerDecided = true;
      // A header names its pixel columns; data rows have numbers there.
      if (fields.slice(1).some((f) => !Number.isFinite(Number(text.decode(f).trim().replace(/^"|"$/g, ''))))) continue;
    }
    if (perRow < 0) {
      perRow = fields.length - 1;
      if (perRow < 1)
        throw new DatasetFormatError(
          'size-mismatch',
          `line ${lineNo} has only a label and no pixel values; each row must be label, then pixels`,
          file.name,
        );
      // Rows never outnumber lines, so one allocation holds them all.
      let rows = 1;
      for (let i = pos; i < b.length; i++) if (b[i] === 10) rows++;
      pixels = new Uint8Array(rows * perRow);
    }
    const cut = line.indexOf(sep);
    const label = text
      .decode(cut < 0 ? line : line.subarray(0, cut))
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (label === '')
      throw new DatasetFormatError('bad-value', `line ${lineNo} has an empty label; every row starts with its class`, file.name);
    const got =
      cut < 0
        ? 0
        : readPixels(line, cut + 1, sep, pixels.subarray(labels.length * perRow, (labels.length + 1) * perRow), lineNo, file.name);
    if (got !== perRow) {
      throw new DatasetFormatError(
        'size-mismatch',
        `line ${lineNo} has ${got} pixel values but the rows before it have ${perRow}; every row must hold one whole image`,
        file.name,
      );
    }
    labels.push(label);
    lines.push(lineNo);
  }
  if (labels.length === 0)
    throw new DatasetFormatError('empty', 'has no data rows; each row must be a label followed by pixel values', file.name);
  return { file: file.name, labels, lines, pixels: pixels.subarray(0, labels.length * perRow), perRow };
}

function isBlank(line: Uint8Array): boolean {
  for (const c of line) if (c !== 32 && c !== 9) return false;
  return true;
}

function splitFields(line: Uint8Array, sep: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === sep) {
      out.push(line.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** Reads the pixel fields from `start` into `out` (writing at most out.length); returns how many there were.
 * Plain digits take the fast path; anything else ("12.0", " 7 ") is checked as text. */
function readPixels(line: Uint8Array, start: number, sep: number, out: Uint8Array, lineNo: number, file: string): number {
  let j = 0;
  let i = start;
  for (;;) {
    let v = 0;
    let plain = true;
    let k = i;
    for (; k < line.length && line[k] !== sep; k++) {
      const d = line[k] - 48;
      if (d < 0 || d > 9) plain = false;
      else v = v * 10 + d;
    }
    if (j < out.length) out[j] = plain && k > i && v <= 255 ? v : slowPixel(line.subarray(i, k), lineNo, j + 2, file);
    j++;
    if (k >= line.length) return j;
    i = k + 1;
  }
}

function slowPixel(field: Uint8Array, lineNo: number, column: number, file: string): number {
  const t = new TextDecoder()
    .decode(field)
    .trim()
    .replace(/^"(.*)"$/, '$1');
  const n = t === '' ? NaN : Number(t);
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new DatasetFormatError(
      'bad-value',
      `line ${lineNo}, column ${column}: pixel value "${t}" is not a whole number from 0 to 255; export the pixels as 8-bit integers`,
      file,
    );
  }
  return n;
}
