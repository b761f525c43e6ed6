// Float64 reference for element-wise kernels: ReLU forward/backward, scale, axpby.
// Straight loops, used by tests and the validate mode only.

export function reluForward(x: Float64Array): Float64Array {
  return x.map((v) => (v > 0 ? v : 0));
}

export function reluBackward(x: Float64Array, dy: Float64Array): Float64Array {
  return dy.map((g, i) => (x[i] > 0 ? g : 0));
}

export function scale(a: number, x: Float64Array): Float64Array {
  return x.map((v) => a * v);
}

export function axpby(a: number, x: Float64Array, b: number, y: Float64Array): Float64Array {
  return x.map((v, i) => a * v + b * y[i]);
}

export function scalarAdd(b: number, x: Float64Array): Float64Array {
  return x.map((v) => v + b);
}
