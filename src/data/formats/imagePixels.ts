// Decoded images to the lab's pixel layout: the injected decoder called with its failures
// named by file, RGBA to CHW planes, and RGB to the stored channel count. Shared by the
// image-folder and Tiny ImageNet parsers; knows nothing about folders or labels.

import { DatasetFormatError } from './errors';
import type { InputFile } from './common';
import type { DecodedImage } from './resize';

export type ImageDecoder = (bytes: Uint8Array, mime: string) => Promise<DecodedImage>;

/** Largest output side a parser resizes to. */
export const MAX_SIDE = 1024;

/** One image through the injected decoder, its failures as 'bad-image' naming the file. */
export async function decodeImage(file: InputFile, mime: string, decode: ImageDecoder): Promise<DecodedImage> {
  let img: DecodedImage;
  try {
    img = await decode(file.bytes, mime);
  } catch (err) {
    throw new DatasetFormatError(
      'bad-image',
      `could not be decoded as ${mime} (${err instanceof Error ? err.message : String(err)}); re-export it or remove it`,
      file.name,
    );
  }
  const ok =
    Number.isInteger(img?.width) &&
    Number.isInteger(img?.height) &&
    img.width > 0 &&
    img.height > 0 &&
    img.rgba?.length === img.width * img.height * 4;
  if (!ok) throw new DatasetFormatError('bad-image', 'the decoder returned no usable pixels (empty image or wrong byte count)', file.name);
  if (img.width > 8 * MAX_SIDE || img.height > 8 * MAX_SIDE) {
    throw new DatasetFormatError(
      'size-mismatch',
      `is ${img.width}x${img.height}, larger than ${8 * MAX_SIDE} pixels a side; shrink the images before uploading`,
      file.name,
    );
  }
  return img;
}

/** RGB planes (CHW) of one image, and whether it is grey. */
export function toPlanes(img: DecodedImage): { rgb: Uint8Array; grey: boolean } {
  const plane = img.width * img.height;
  const rgb = new Uint8Array(3 * plane);
  let grey = true;
  for (let p = 0; p < plane; p++) {
    const r = img.rgba[4 * p];
    const g = img.rgba[4 * p + 1];
    const b = img.rgba[4 * p + 2];
    rgb[p] = r;
    rgb[plane + p] = g;
    rgb[2 * plane + p] = b;
    if (r !== g || g !== b) grey = false;
  }
  return { rgb, grey };
}

export function writeChannels(rgb: Uint8Array, channels: number, out: Uint8Array): void {
  if (channels === 3) {
    out.set(rgb);
    return;
  }
  const plane = rgb.length / 3;
  // BT.601 luma in integers; the weights sum to 256, so grey pixels stay exactly as they are.
  for (let p = 0; p < plane; p++) out[p] = (77 * rgb[p] + 150 * rgb[plane + p] + 29 * rgb[2 * plane + p] + 128) >> 8;
}
