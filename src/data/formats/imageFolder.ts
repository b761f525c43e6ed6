// Image folders ("ImageFolder" layout): class-named folders of PNG / JPEG / GIF / WebP
// images, optionally under train/ and test/ (or val/). Decoding is injected (the browser
// uses createImageBitmap, tests a fake), so this core runs anywhere. Channel rule: grey
// (1 channel) only when every image is grey (R = G = B everywhere), else RGB; alpha is dropped.

import { DatasetFormatError } from './errors';
import { type InputFile, type ParsedImages, type SplitRole } from './common';
import { decodeImage, MAX_SIDE, toPlanes, writeChannels, type ImageDecoder } from './imagePixels';
import { resizeRgba, type ResizeMode } from './resize';

export type { ImageDecoder } from './imagePixels';

export interface ImageFolderOptions {
  decode: ImageDecoder;
  /** Output size; by default every image must already share one size. */
  size?: number | { height: number; width: number };
  /** 1 = grey (luma of colour images), 3 = RGB; by default grey only if all images are grey. */
  channels?: 1 | 3;
  /** Default 'bilinear'. */
  resize?: ResizeMode;
}

const SPLIT_DIRS: Record<string, SplitRole> = {
  train: 'train',
  training: 'train',
  test: 'test',
  testing: 'test',
  val: 'test',
  valid: 'test',
  validation: 'test',
};
const PARALLEL = 8;

const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const IMAGE_EXT = /\.(png|jpe?g|gif|webp|bmp)$/i;

/** The image MIME type by magic number, or null for a file that is no image. */
export function imageMime(name: string, bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (/\.bmp$/i.test(name) && startsWith(bytes, [0x42, 0x4d])) return 'image/bmp';
  return null;
}

export function isImageName(name: string): boolean {
  return IMAGE_EXT.test(name);
}

interface Entry {
  file: InputFile;
  mime: string;
  className: string;
  role: SplitRole | null;
}

/** All images of an unpacked upload as one dataset; `dirs` lists folders, so empty ones are caught. */
export async function parseImageFolder(files: InputFile[], dirs: string[], opts: ImageFolderOptions): Promise<ParsedImages> {
  const { entries, classNames } = layout(files, dirs);
  const target = targetSize(opts.size);
  const mode = opts.resize ?? 'bilinear';
  let size: { width: number; height: number; from: string } | null = target ? { ...target, from: 'the chosen size' } : null;
  const rgb: Uint8Array[] = new Array<Uint8Array>(entries.length);
  let allGrey = true;
  for (let start = 0; start < entries.length; start += PARALLEL) {
    const batch = entries.slice(start, start + PARALLEL);
    const decoded = await Promise.all(batch.map((e) => decodeImage(e.file, e.mime, opts.decode)));
    decoded.forEach((img, k) => {
      const e = batch[k];
      if (!size) size = { width: img.width, height: img.height, from: e.file.name };
      else if (!target && (img.width !== size.width || img.height !== size.height)) {
        throw new DatasetFormatError(
          'size-mismatch',
          `is ${img.width}x${img.height} but ${size.from} is ${size.width}x${size.height}; choose an image size so every image is resized to it`,
          e.file.name,
        );
      }
      const planes = toPlanes(resizeRgba(img, size.width, size.height, mode));
      allGrey &&= planes.grey;
      rgb[start + k] = planes.rgb;
    });
  }
  const { width, height } = size!;
  const channels = opts.channels ?? (allGrey ? 1 : 3);
  const per = channels * width * height;
  const build = (role: SplitRole | null): ParsedImages['train'] => {
    const idx = entries.flatMap((e, i) => (e.role === role ? [i] : []));
    if (idx.length === 0) return null;
    const pixels = new Uint8Array(idx.length * per);
    const labels = classNames.length <= 256 ? new Uint8Array(idx.length) : new Uint16Array(idx.length);
    idx.forEach((i, n) => {
      labels[n] = classNames.indexOf(entries[i].className);
      writeChannels(rgb[i], channels, pixels.subarray(n * per, (n + 1) * per));
    });
    return { pixels, labels, count: idx.length };
  };
  const split = entries[0].role !== null;
  return {
    format: 'image folders',
    channels,
    height,
    width,
    classNames,
    train: build(split ? 'train' : null),
    test: split ? build('test') : null,
  };
}

export function targetSize(size: ImageFolderOptions['size']): { width: number; height: number } | null {
  if (size === undefined) return null;
  const { height, width } = typeof size === 'number' ? { height: size, width: size } : size;
  for (const [k, v] of [
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_SIDE)
      throw new Error(`parseImageFolder: size ${k} must be an integer from 1 to ${MAX_SIDE}, got ${String(v)}`);
  }
  return { height, width };
}

/** Classes from the folder names; rejects loose images, mixed split layouts and empty class folders. */
function layout(files: InputFile[], dirs: string[]): { entries: Entry[]; classNames: string[] } {
  const entries: Entry[] = [];
  const containers = new Set<string>();
  const classDirs = new Set<string>();
  const seenDirs = new Set(dirs.map((d) => d.replace(/\/+$/, '')));
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
    const parts = file.name.split('/').filter((p) => p.length > 0);
    for (let i = 1; i < parts.length; i++) seenDirs.add(parts.slice(0, i).join('/'));
    const mime = imageMime(file.name, file.bytes);
    if (!mime) {
      if (isImageName(file.name))
        throw new DatasetFormatError(
          'bad-magic',
          'is named as an image but its bytes are not PNG, JPEG, GIF, WebP or BMP; re-export it',
          file.name,
        );
      continue;
    }
    if (parts.length < 2)
      throw new DatasetFormatError(
        'unknown-format',
        'is not inside a class folder; put each image in a folder named after its class (cat/1.png, dog/2.png)',
        file.name,
      );
    const className = parts[parts.length - 2];
    const splitDir = parts.length >= 3 ? parts[parts.length - 3].toLowerCase() : '';
    if (SPLIT_DIRS[className.toLowerCase()]) {
      throw new DatasetFormatError(
        'unknown-format',
        `is directly inside ${className}/; put it in a class folder (${className}/<class>/image.png)`,
        file.name,
      );
    }
    containers.add(parts.slice(0, -2).join('/'));
    classDirs.add(parts.slice(0, -1).join('/'));
    entries.push({ file, mime, className, role: SPLIT_DIRS[splitDir] ?? null });
  }
  if (entries.length === 0)
    throw new DatasetFormatError('empty', 'no PNG, JPEG, GIF or WebP images found; upload a zip of class folders of images');
  const withRole = entries.filter((e) => e.role !== null).length;
  if (withRole !== 0 && withRole !== entries.length) {
    throw new DatasetFormatError(
      'unknown-format',
      'some images are under train/ or test/ folders and others are not; use one layout for all: <class>/image.png, or train/<class>/image.png and test/<class>/image.png',
    );
  }
  for (const dir of seenDirs) {
    const cut = dir.lastIndexOf('/');
    const parent = cut < 0 ? '' : dir.slice(0, cut);
    if (containers.has(parent) && !classDirs.has(dir) && !containers.has(dir) && !SPLIT_DIRS[dir.slice(cut + 1).toLowerCase()]) {
      throw new DatasetFormatError('empty-class', `class folder ${dir}/ holds no images; add images to it or delete it`);
    }
  }
  const classNames = [...new Set(entries.map((e) => e.className))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (classNames.length < 2)
    throw new DatasetFormatError('too-few-classes', `found only one class folder (${classNames[0]}/); a classifier needs at least two`);
  return { entries, classNames };
}
