import { describe, expect, it } from 'vitest';
import { resizeRgba, type DecodedImage } from './resize';

/** A w x h image whose red channel is `f(x, y)`, other channels fixed. */
function image(w: number, h: number, f: (x: number, y: number) => number): DecodedImage {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set([f(x, y), 10, 20, 255], (y * w + x) * 4);
  return { width: w, height: h, rgba };
}
const red = (img: DecodedImage) => Array.from({ length: img.width * img.height }, (_, p) => img.rgba[4 * p]);

describe('resizeRgba', () => {
  it('returns the image itself at the same size', () => {
    const img = image(3, 2, (x) => x);
    expect(resizeRgba(img, 3, 2, 'bilinear')).toBe(img);
  });

  it('nearest repeats pixels when upscaling and picks centres when downscaling', () => {
    const img = image(2, 2, (x, y) => 10 * x + 100 * y);
    expect(red(resizeRgba(img, 4, 4, 'nearest'))).toEqual([0, 0, 10, 10, 0, 0, 10, 10, 100, 100, 110, 110, 100, 100, 110, 110]);
    const big = image(4, 1, (x) => x * 50);
    expect(red(resizeRgba(big, 2, 1, 'nearest'))).toEqual([50, 150]);
  });

  it('bilinear interpolates with aligned pixel centres and keeps flat channels flat', () => {
    const ramp = image(2, 1, (x) => x * 100);
    const up = resizeRgba(ramp, 4, 1, 'bilinear');
    // Centres at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(red(up)).toEqual([0, 25, 75, 100]);
    expect(up.rgba[4 * 2 + 1]).toBe(10);
    expect(up.rgba[4 * 3 + 3]).toBe(255);
    const down = resizeRgba(
      image(4, 4, (x, y) => (x + y) * 10),
      2,
      2,
      'bilinear',
    );
    // Output centres sit at source 0.5 and 2.5 on each axis: (0.5 + 0.5) * 10, (2.5 + 0.5) * 10, ...
    expect(red(down)).toEqual([10, 30, 30, 50]);
  });

  it('rejects bad sizes and inconsistent images', () => {
    expect(() =>
      resizeRgba(
        image(2, 2, () => 0),
        0,
        2,
        'nearest',
      ),
    ).toThrow(/width must be a positive integer/);
    expect(() => resizeRgba({ width: 2, height: 2, rgba: new Uint8ClampedArray(3) }, 1, 1, 'nearest')).toThrow(/needs 16 RGBA bytes/);
  });
});
