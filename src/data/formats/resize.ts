// Resizes a decoded RGBA image to a chosen size, nearest or bilinear (pixel centres
// aligned, as in PIL and torchvision without antialias), in plain TS so image folders
// load the same in Node tests and in the browser. No antialiasing: big downscales alias.

export interface DecodedImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA, not premultiplied. */
  rgba: Uint8ClampedArray;
}

export type ResizeMode = 'nearest' | 'bilinear';

export function resizeRgba(img: DecodedImage, width: number, height: number, mode: ResizeMode): DecodedImage {
  for (const [k, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`resizeRgba: ${k} must be a positive integer, got ${String(v)}`);
  }
  if (img.rgba.length !== img.width * img.height * 4 || img.width < 1 || img.height < 1) {
    throw new Error(
      `resizeRgba: a ${img.width}x${img.height} image needs ${img.width * img.height * 4} RGBA bytes, got ${img.rgba.length}`,
    );
  }
  if (width === img.width && height === img.height) return img;
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = img.width / width;
  const sy = img.height / height;
  if (mode === 'nearest') {
    for (let y = 0; y < height; y++) {
      const srcY = Math.min(img.height - 1, Math.floor((y + 0.5) * sy));
      for (let x = 0; x < width; x++) {
        const srcX = Math.min(img.width - 1, Math.floor((x + 0.5) * sx));
        const s = (srcY * img.width + srcX) * 4;
        const d = (y * width + x) * 4;
        for (let c = 0; c < 4; c++) out[d + c] = img.rgba[s + c];
      }
    }
    return { width, height, rgba: out };
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const tx = fx - x0;
      const a = (y0 * img.width + x0) * 4;
      const b = (y0 * img.width + x1) * 4;
      const c = (y1 * img.width + x0) * 4;
      const e = (y1 * img.width + x1) * 4;
      const d = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = img.rgba[a + k] + (img.rgba[b + k] - img.rgba[a + k]) * tx;
        const bottom = img.rgba[c + k] + (img.rgba[e + k] - img.rgba[c + k]) * tx;
        // Uint8ClampedArray rounds half to even; that is fine for pixels.
        out[d + k] = top + (bottom - top) * ty;
      }
    }
  }
  return { width, height, rgba: out };
}
