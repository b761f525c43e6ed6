// What the dataset view shows about a dataset: a few sample thumbnails per class as
// RGBA images ready for a canvas, class counts per split, image size, channels, the
// per-channel normalisation the runs will use, and split sizes. Pure; no drawing.

import { channelStats } from '../data';
import type { Dataset, ImageSplit } from '../data';

export interface ClassPreview {
  index: number;
  name: string;
  trainCount: number;
  testCount: number;
  /** Up to `perClass` thumbnails, each thumbWidth x thumbHeight RGBA. */
  samples: Uint8ClampedArray[];
}

export interface DatasetPreview {
  id: string;
  name: string;
  channels: number;
  height: number;
  width: number;
  thumbWidth: number;
  thumbHeight: number;
  /** Every class's counts; samples only for the first `maxClasses`. */
  classes: ClassPreview[];
  trainCount: number;
  testCount: number;
  /** Per channel on the 0..1 scale, from the training split (what the batcher uses). */
  mean: number[];
  std: number[];
}

export interface PreviewOptions {
  perClass?: number;
  /** Thumbnails larger than this (in either side) are box-averaged down. */
  maxThumb?: number;
  /** Classes beyond this get counts but no samples (keeps CIFAR-100 previews small). */
  maxClasses?: number;
}

export function previewDataset(d: Dataset, opts: PreviewOptions = {}): DatasetPreview {
  const perClass = opts.perClass ?? 8;
  const maxThumb = opts.maxThumb ?? 32;
  const maxClasses = opts.maxClasses ?? 100;
  const factor = Math.max(1, Math.ceil(Math.max(d.height, d.width) / maxThumb));
  const thumbWidth = Math.ceil(d.width / factor);
  const thumbHeight = Math.ceil(d.height / factor);
  const classes: ClassPreview[] = d.classNames.map((name, index) => ({ index, name, trainCount: 0, testCount: 0, samples: [] }));
  const draw = (split: ImageSplit, i: number) => thumbnail(split, i, d, factor, thumbWidth, thumbHeight);
  countAndSample(d.train, classes, 'trainCount', perClass, maxClasses, draw);
  // Classes the training split lacks samples of (a tiny upload) borrow test images.
  countAndSample(d.test, classes, 'testCount', perClass, maxClasses, draw);
  const { mean, std } = channelStats(d.train, d);
  return {
    id: d.id,
    name: d.name,
    channels: d.channels,
    height: d.height,
    width: d.width,
    thumbWidth,
    thumbHeight,
    classes,
    trainCount: d.train.count,
    testCount: d.test.count,
    mean,
    std,
  };
}

function countAndSample(
  split: ImageSplit,
  classes: ClassPreview[],
  key: 'trainCount' | 'testCount',
  perClass: number,
  maxClasses: number,
  draw: (split: ImageSplit, i: number) => Uint8ClampedArray,
): void {
  for (let i = 0; i < split.count; i++) {
    const c = classes[split.labels[i]];
    c[key]++;
    if (c.index < maxClasses && c.samples.length < perClass) c.samples.push(draw(split, i));
  }
}

/** Image i of a CHW split as RGBA, box-averaged by `factor`. Grey repeats channel 0;
 * two channels show as red/green; more than three show the first three. */
export function thumbnail(
  split: ImageSplit,
  i: number,
  dims: { channels: number; height: number; width: number },
  factor: number,
  tw: number,
  th: number,
): Uint8ClampedArray {
  const { channels: C, height: H, width: W } = dims;
  const plane = H * W;
  const base = i * C * plane;
  const out = new Uint8ClampedArray(tw * th * 4);
  const shown = Math.min(C, 3);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      const o = (ty * tw + tx) * 4;
      for (let c = 0; c < shown; c++) {
        let sum = 0;
        let n = 0;
        for (let y = ty * factor; y < Math.min(H, (ty + 1) * factor); y++) {
          for (let x = tx * factor; x < Math.min(W, (tx + 1) * factor); x++) {
            sum += split.pixels[base + c * plane + y * W + x];
            n++;
          }
        }
        out[o + c] = Math.round(sum / n);
      }
      if (C === 1) out[o + 1] = out[o + 2] = out[o];
      out[o + 3] = 255;
    }
  }
  return out;
}
