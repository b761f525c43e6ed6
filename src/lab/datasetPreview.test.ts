// The dataset preview: class counts per split, thumbnails in the right colours and
// order, the per-class limit, downscaling of large images, and the normalisation stats.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { previewDataset, thumbnail } from './datasetPreview';

/** 3-channel 2x2 images; image i has R = 10i, G = 10i + 1, B = 10i + 2 everywhere. */
function rgbDataset(trainLabels: number[], testLabels: number[], classes = 3): Dataset {
  const split = (labels: number[], offset: number) => {
    const pixels = new Uint8Array(labels.length * 12);
    labels.forEach((_, i) => {
      for (let c = 0; c < 3; c++) pixels.fill(10 * (i + offset) + c, i * 12 + c * 4, i * 12 + c * 4 + 4);
    });
    return { pixels, labels: Uint8Array.from(labels), count: labels.length };
  };
  return {
    id: 'x',
    name: 'x',
    channels: 3,
    height: 2,
    width: 2,
    classNames: ['a', 'b', 'c'].slice(0, classes),
    train: split(trainLabels, 0),
    test: split(testLabels, 20),
  };
}

describe('previewDataset', () => {
  it('counts each class per split and samples in order, up to perClass', () => {
    const p = previewDataset(rgbDataset([0, 1, 0, 0, 1], [1, 2]), { perClass: 2 });
    expect(p.classes.map((c) => [c.name, c.trainCount, c.testCount, c.samples.length])).toEqual([
      ['a', 3, 0, 2],
      ['b', 2, 1, 2],
      // No training image of class c: its sample comes from the test split.
      ['c', 0, 1, 1],
    ]);
    expect([p.trainCount, p.testCount, p.thumbWidth, p.thumbHeight]).toEqual([5, 2, 2, 2]);
    // Class a's samples are train images 0 and 2, as RGBA.
    expect(Array.from(p.classes[0].samples[1].slice(0, 8))).toEqual([20, 21, 22, 255, 20, 21, 22, 255]);
    expect(Array.from(p.classes[2].samples[0].slice(0, 4))).toEqual([210, 211, 212, 255]);
  });

  it('gives the training split normalisation per channel', () => {
    const p = previewDataset(rgbDataset([0, 1], [0]));
    // R is 0 and 10: mean 5/255, std 5/255.
    expect(p.mean[0]).toBeCloseTo(5 / 255, 10);
    expect(p.std[0]).toBeCloseTo(5 / 255, 10);
    expect(p.mean[2]).toBeCloseTo(7 / 255, 10);
  });

  it('leaves samples out beyond maxClasses but still counts those classes', () => {
    const p = previewDataset(rgbDataset([0, 1, 2], [0]), { maxClasses: 1 });
    expect(p.classes.map((c) => c.samples.length)).toEqual([2, 0, 0]);
    expect(p.classes[2].trainCount).toBe(1);
  });
});

describe('thumbnail', () => {
  it('repeats grey into RGB and box-averages large images down', () => {
    // One 1x4x4 grey image with values 0..15; factor 2 gives a 2x2 thumbnail.
    const split = { pixels: Uint8Array.from({ length: 16 }, (_, i) => i * 10), labels: new Uint8Array(1), count: 1 };
    const t = thumbnail(split, 0, { channels: 1, height: 4, width: 4 }, 2, 2, 2);
    // Top-left block: 0, 10, 40, 50 -> 25.
    expect(Array.from(t.slice(0, 4))).toEqual([25, 25, 25, 255]);
    // Bottom-right block: 100, 110, 140, 150 -> 125.
    expect(Array.from(t.slice(12, 16))).toEqual([125, 125, 125, 255]);
  });

  it('downscales through previewDataset when the images exceed maxThumb', () => {
    const d: Dataset = {
      id: 'g',
      name: 'g',
      channels: 1,
      height: 70,
      width: 70,
      classNames: ['a'],
      train: { pixels: new Uint8Array(4900), labels: new Uint8Array(1), count: 1 },
      test: { pixels: new Uint8Array(4900), labels: new Uint8Array(1), count: 1 },
    };
    const p = previewDataset(d, { maxThumb: 32 });
    expect([p.thumbWidth, p.thumbHeight]).toEqual([24, 24]);
    expect(p.classes[0].samples[0].length).toBe(24 * 24 * 4);
  });
});
