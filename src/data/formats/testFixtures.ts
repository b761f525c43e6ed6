// Test-only builders for small files in every supported format (CIFAR records, IDX,
// fake images with their fake decoder), so the parser tests make their fixtures instead
// of shipping binaries. Not used by app code.

import { DatasetFormatError } from './errors';
import type { DecodedImage } from './resize';
import { decodeJpeg } from './testJpeg';

/** CIFAR records: pixel byte j of image i is (i * 7 + j) & 255, so positions are checkable. */
export function cifarBytes(labels: number[], kind: 'cifar10' | 'cifar100' = 'cifar10', coarse = 0): Uint8Array {
  const head = kind === 'cifar10' ? 1 : 2;
  const record = head + 3072;
  const out = new Uint8Array(labels.length * record);
  labels.forEach((label, i) => {
    const at = i * record;
    if (kind === 'cifar100') out[at] = coarse;
    out[at + head - 1] = label;
    for (let j = 0; j < 3072; j++) out[at + head + j] = (i * 7 + j) & 255;
  });
  return out;
}

function idxHeader(magicType: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = magicType;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** IDX images: pixel j of image i is (i + j) & 255; `dims` overrides the header only. */
export function idxImages(count: number, h: number, w: number, dims = [count, h, w]): Uint8Array {
  const data = new Uint8Array(count * h * w);
  for (let i = 0; i < count; i++) for (let j = 0; j < h * w; j++) data[i * h * w + j] = (i + j) & 255;
  return concat(idxHeader(0x08, dims), data);
}

export function idxLabels(labels: number[]): Uint8Array {
  return concat(idxHeader(0x08, [labels.length]), Uint8Array.from(labels));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A "PNG" that only fakeDecode understands: the signature, then width, height and one RGB colour. */
export function fakePng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  return Uint8Array.from([...PNG_SIGNATURE, width, height, ...rgb]);
}

export async function fakeDecode(bytes: Uint8Array, mime: string): Promise<DecodedImage> {
  if (mime !== 'image/png' || bytes.length !== 13) throw new Error('fake decoder: not a fakePng');
  const [width, height, r, g, b] = bytes.subarray(8);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) rgba.set([r, g, b, 255], 4 * p);
  return { width, height, rgba };
}

/** Real JPEGs (testJpeg's decoder) and fakePngs: the decoder for uploads mixing both. */
export async function testDecode(bytes: Uint8Array, mime: string): Promise<DecodedImage> {
  return mime === 'image/jpeg' ? decodeJpeg(bytes) : fakeDecode(bytes, mime);
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The DatasetFormatError code `run` throws, 'no error' when it returns; other errors propagate. */
export async function errorCode(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    if (e instanceof DatasetFormatError) return e.code;
    throw e;
  }
  return 'no error';
}
