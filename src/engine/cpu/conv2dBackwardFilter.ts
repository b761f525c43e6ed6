// Float64 reference for the conv2d filter gradient (NCHW): dw[co,ci,ky,kx] =
// sum over batch and output pixels of dy * x at the tapped input pixel. Straight loops,
// used by tests and the validate mode only; forward and input gradient live in conv2d.ts.

import { conv2dOutShape, type Conv2dShape } from '../../util';

export function conv2dBackwardFilter(x: Float64Array, dy: Float64Array, shape: Conv2dShape): Float64Array {
  const { n, cin, h, w, cout, kh, kw, stride, pad } = shape;
  const { ho, wo } = conv2dOutShape(shape);
  const dw = new Float64Array(cout * cin * kh * kw);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          let sum = 0;
          for (let b = 0; b < n; b++) {
            for (let oy = 0; oy < ho; oy++) {
              const iy = oy * stride + ky - pad;
              if (iy < 0 || iy >= h) continue;
              for (let ox = 0; ox < wo; ox++) {
                const ix = ox * stride + kx - pad;
                if (ix < 0 || ix >= w) continue;
                sum += dy[((b * cout + co) * ho + oy) * wo + ox] * x[((b * cin + ci) * h + iy) * w + ix];
              }
            }
          }
          dw[((co * cin + ci) * kh + ky) * kw + kx] = sum;
        }
      }
    }
  }
  return dw;
}
