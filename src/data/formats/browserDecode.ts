// The image decoder for image-folder uploads in a browser or Worker: createImageBitmap
// plus an OffscreenCanvas read-back. The one place in src/data that needs browser APIs
// (no DOM tree is touched); Node tests inject a fake decoder instead, e2e covers this.

import type { ImageDecoder } from './imageFolder';

export function createBrowserDecoder(): ImageDecoder {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new Error(
      'createBrowserDecoder: this environment has no createImageBitmap / OffscreenCanvas; use a current browser, or pass your own decoder',
    );
  }
  return async (bytes, mime) => {
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
    try {
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      return { width, height, rgba: data };
    } finally {
      bitmap.close();
    }
  };
}
