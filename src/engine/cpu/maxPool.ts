// Float64 reference for max pooling over NCHW planes (PyTorch's MaxPool2d: padding never
// wins, the first maximum in scan order takes the gradient) and its backward. Straight
// loops for tests and validate mode.

import { maxPoolOutShape, type MaxPoolShape } from '../../util';

/** y and, per element of y, the plane-local index (iy * w + ix) of its maximum. */
export function maxPoolForward(x: Float64Array, s: MaxPoolShape): { y: Float64Array; argmax: Float64Array } {
  const { ho, wo } = maxPoolOutShape(s);
  const y = new Float64Array(s.n * s.c * ho * wo);
  const argmax = new Float64Array(y.length);
  for (let plane = 0; plane < s.n * s.c; plane++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let best = -Infinity;
        let at = -1;
        for (let ky = 0; ky < s.k; ky++) {
          const iy = oy * s.stride + ky - s.pad;
          if (iy < 0 || iy >= s.h) continue;
          for (let kx = 0; kx < s.k; kx++) {
            const ix = ox * s.stride + kx - s.pad;
            if (ix < 0 || ix >= s.w) continue;
            const v = x[plane * s.h * s.w + iy * s.w + ix];
            if (at < 0 || v > best) [best, at] = [v, iy * s.w + ix];
          }
        }
        const o = (plane * ho + oy) * wo + ox;
        y[o] = best;
        argmax[o] = at;
      }
    }
  }
  return { y, argmax };
}

export function maxPoolBackward(dy: Float64Array, argmax: Float64Array, s: MaxPoolShape): Float64Array {
  const { ho, wo } = maxPoolOutShape(s);
  const dx = new Float64Array(s.n * s.c * s.h * s.w);
  for (let o = 0; o < dy.length; o++) dx[Math.floor(o / (ho * wo)) * s.h * s.w + argmax[o]] += dy[o];
  return dx;
}
