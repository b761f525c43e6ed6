// Float64 reference for global average pooling over NCHW: forward [n,c,h,w] -> [n,c] and
// its backward. Straight loops for tests and validate mode.

export function globalAvgPoolForward(x: Float64Array, p: { n: number; c: number; h: number; w: number }): Float64Array {
  const hw = p.h * p.w;
  const y = new Float64Array(p.n * p.c);
  for (let row = 0; row < y.length; row++) {
    let s = 0;
    for (let j = 0; j < hw; j++) s += x[row * hw + j];
    y[row] = s / hw;
  }
  return y;
}

export function globalAvgPoolBackward(dy: Float64Array, p: { n: number; c: number; h: number; w: number }): Float64Array {
  const hw = p.h * p.w;
  const dx = new Float64Array(p.n * p.c * hw);
  for (let i = 0; i < dx.length; i++) dx[i] = dy[Math.floor(i / hw)] / hw;
  return dx;
}
