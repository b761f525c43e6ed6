// Float64 reference for the reductions: sum, sum of squares, max |x|, dot, and the
// count of non-finite elements. Straight loops, used by tests and the validate mode only.

export function reduceSum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

export function reduceSumSquares(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

export function reduceMaxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

export function reduceDot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Number of NaN or +-Inf values (float64 test; the GPU tests f32 bits, which agree for
 * values stored as f32: only f32 overflow to Inf differs, and that happens at upload). */
export function countNonFinite(x: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) c++;
  return c;
}

/** Sum of squares of each (offset, length) segment of x. */
export function segmentSumSquares(x: Float64Array, segments: readonly (readonly [number, number])[]): Float64Array {
  return Float64Array.from(segments, ([off, len]) => {
    let s = 0;
    for (let i = off; i < off + len; i++) s += x[i] * x[i];
    return s;
  });
}
