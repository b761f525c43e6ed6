// An in-memory image classification dataset: uint8 pixels in NCHW order plus labels,
// with an explicit train/test split. Parsers and generators produce it; the batcher
// turns it into normalised float32 batches. One decoded copy, never duplicated.

export interface ImageSplit {
  /** count * channels * height * width bytes, image-major, CHW within an image. */
  pixels: Uint8Array;
  labels: Uint8Array | Uint16Array;
  count: number;
}

export interface Dataset {
  /** Short id: a built-in's name (e.g. "mnist") or an upload's content hash. */
  id: string;
  name: string;
  channels: number;
  height: number;
  width: number;
  classNames: string[];
  train: ImageSplit;
  test: ImageSplit;
}

export function imageBytes(d: Pick<Dataset, 'channels' | 'height' | 'width'>): number {
  return d.channels * d.height * d.width;
}

/** Throws a clear error when the arrays do not match the declared sizes. */
export function checkDataset(d: Dataset): void {
  const per = imageBytes(d);
  for (const [name, s] of [
    ['train', d.train],
    ['test', d.test],
  ] as const) {
    if (s.pixels.length !== s.count * per)
      throw new Error(`${d.name}: ${name} split has ${s.pixels.length} pixel bytes, expected ${s.count} x ${per}`);
    if (s.labels.length !== s.count) throw new Error(`${d.name}: ${name} split has ${s.labels.length} labels for ${s.count} images`);
    for (let i = 0; i < s.count; i++) {
      if (s.labels[i] >= d.classNames.length)
        throw new Error(`${d.name}: ${name} label ${s.labels[i]} at image ${i} is out of range (${d.classNames.length} classes)`);
    }
  }
}
