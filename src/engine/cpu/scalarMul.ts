// Float64 reference for the learnable-scalar multiply y = a*x and its backward
// (dx = a*dy, da = sum x*dy). Used by tests and the validate mode only.

export function scalarMulForward(a: number, x: Float64Array): Float64Array {
  return x.map((v) => a * v);
}

export function scalarMulBackward(a: number, x: ArrayLike<number>, dy: Float64Array): { dx: Float64Array; da: number } {
  let da = 0;
  for (let i = 0; i < dy.length; i++) da += x[i] * dy[i];
  return { dx: dy.map((g) => a * g), da };
}
