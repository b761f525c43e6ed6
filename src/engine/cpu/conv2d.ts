// Float64 reference for conv2d forward and its gradient w.r.t. the input (NCHW, weights
// [cout, cin, kh, kw], no bias). Straight loops for tests and the validate mode only;
// the filter gradient lives in conv2dBackwardFilter.ts.

import { conv2dOutShape, type Conv2dShape } from '../../util';

/** x [n, cin, h, w], w [cout, cin, kh, kw] -> y [n, cout, ho, wo]. */
export function conv2dForward(x: Float64Array, w: Float64Array, s: Conv2dShape): Float64Array {
  const { ho, wo } = conv2dOutShape(s);
  const y = new Float64Array(s.n * s.cout * ho * wo);
  for (let b = 0; b < s.n; b++)
    for (let co = 0; co < s.cout; co++)
      for (let oy = 0; oy < ho; oy++)
        for (let ox = 0; ox < wo; ox++) {
          let acc = 0;
          for (let ci = 0; ci < s.cin; ci++)
            for (let ky = 0; ky < s.kh; ky++) {
              const iy = oy * s.stride - s.pad + ky;
              if (iy < 0 || iy >= s.h) continue;
              for (let kx = 0; kx < s.kw; kx++) {
                const ix = ox * s.stride - s.pad + kx;
                if (ix < 0 || ix >= s.w) continue;
                acc += x[((b * s.cin + ci) * s.h + iy) * s.w + ix] * w[((co * s.cin + ci) * s.kh + ky) * s.kw + kx];
              }
            }
          y[((b * s.cout + co) * ho + oy) * wo + ox] = acc;
        }
  return y;
}

/** dy [n, cout, ho, wo], w [cout, cin, kh, kw] -> dx [n, cin, h, w]. Scatters each dy
 * term to the inputs that produced it, the transpose of the forward loop above (so it
 * checks the GPU's gather formulation independently). */
export function conv2dBackwardInput(dy: Float64Array, w: Float64Array, s: Conv2dShape): Float64Array {
  const { ho, wo } = conv2dOutShape(s);
  const dx = new Float64Array(s.n * s.cin * s.h * s.w);
  for (let b = 0; b < s.n; b++)
    for (let co = 0; co < s.cout; co++)
      for (let oy = 0; oy < ho; oy++)
        for (let ox = 0; ox < wo; ox++) {
          const g = dy[((b * s.cout + co) * ho + oy) * wo + ox];
          for (let ci = 0; ci < s.cin; ci++)
            for (let ky = 0; ky < s.kh; ky++) {
              const iy = oy * s.stride - s.pad + ky;
              if (iy < 0 || iy >= s.h) continue;
              for (let kx = 0; kx < s.kw; kx++) {
                const ix = ox * s.stride - s.pad + kx;
                if (ix < 0 || ix >= s.w) continue;
                dx[((b * s.cin + ci) * s.h + iy) * s.w + ix] += g * w[((co * s.cin + ci) * s.kh + ky) * s.kw + kx];
              }
            }
        }
  return dx;
}
