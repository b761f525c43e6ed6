// Tiny ImageNet (tiny-imagenet-200) as one dataset: train/ is the training split, val/ the
// test split, class names from words.txt. Decodes the JPEGs (decoder injected) straight into
// one uint8 buffer per split, so 100,000 64x64 images take their 1.2 GB once and nothing
// more; says how big that will be before decoding, and reports progress. Layout: tinyImageNetLayout.ts.

import { makeLabels, type InputFile, type ParsedImages } from './common';
import { DatasetFormatError } from './errors';
import { targetSize, type ImageFolderOptions } from './imageFolder';
import { decodeImage, toPlanes, writeChannels } from './imagePixels';
import { resizeRgba, type DecodedImage } from './resize';
import { readTinyImageNet, type TinyImage } from './tinyImageNetLayout';

export { tinyImageNetRoot } from './tinyImageNetLayout';

/** What decoding will produce, known before it starts. */
export interface DecodePlan {
  format: string;
  images: number;
  /** Pixel and label bytes of the decoded dataset. */
  bytes: number;
}

/** Callbacks of a long parse; the lab uses them for the storage check, the progress bar and notes. */
export interface ParseHooks {
  /** Called once the size is known, before the bulk of the decoding; throwing stops the upload. */
  beforeDecode?: (plan: DecodePlan) => void | Promise<void>;
  onDecodeProgress?: (done: number, total: number) => void;
  /** Something the user should know about what was left out or assumed. */
  onNote?: (note: string) => void;
}

export type TinyImageNetOptions = ImageFolderOptions & ParseHooks;

const TINY_IMAGENET = 'Tiny ImageNet';
const PARALLEL = 8;

export async function parseTinyImageNet(files: InputFile[], root: string, opts: TinyImageNetOptions): Promise<ParsedImages> {
  const layout = readTinyImageNet(files, root);
  for (const note of layout.notes) opts.onNote?.(note);
  const all = [...layout.train, ...layout.test];
  const first = await decodeImage(all[0].file, all[0].mime, opts.decode);
  const target = targetSize(opts.size);
  const { height, width } = target ?? first;
  const channels = opts.channels ?? 3;
  const per = channels * height * width;
  const classes = layout.classNames.length;
  await opts.beforeDecode?.({ format: TINY_IMAGENET, images: all.length, bytes: all.length * (per + (classes <= 256 ? 1 : 2)) });
  const splits = [layout.train, layout.test].map((list) => ({
    pixels: new Uint8Array(list.length * per),
    labels: makeLabels(list.length, classes),
    count: list.length,
  }));
  const write = (img: DecodedImage, k: number) => {
    const e = all[k];
    if (!target && (img.width !== width || img.height !== height)) {
      throw new DatasetFormatError(
        'size-mismatch',
        `is ${img.width}x${img.height} but ${all[0].file.name} is ${width}x${height}; choose an image size in the upload options so every image is resized to it`,
        e.file.name,
      );
    }
    const s = k < layout.train.length ? 0 : 1;
    const i = s === 0 ? k : k - layout.train.length;
    writeChannels(
      toPlanes(resizeRgba(img, width, height, opts.resize ?? 'bilinear')).rgb,
      channels,
      splits[s].pixels.subarray(i * per, (i + 1) * per),
    );
    splits[s].labels[i] = e.label;
  };
  write(first, 0);
  opts.onDecodeProgress?.(1, all.length);
  for (let start = 1; start < all.length; start += PARALLEL) {
    const batch: TinyImage[] = all.slice(start, start + PARALLEL);
    const decoded = await Promise.all(batch.map((e) => decodeImage(e.file, e.mime, opts.decode)));
    decoded.forEach((img, j) => write(img, start + j));
    opts.onDecodeProgress?.(Math.min(all.length, start + PARALLEL), all.length);
  }
  return {
    format: TINY_IMAGENET,
    channels,
    height,
    width,
    classNames: layout.classNames,
    train: splits[0],
    test: splits[1].count ? splits[1] : null,
  };
}
