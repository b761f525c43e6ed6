// Float64 reference for per-channel bias over [n, c, hw] (hw = 1 for a linear layer):
// forward add and the bias gradient. Straight loops for tests and validate mode.

export function biasAdd(x: Float64Array, bias: Float64Array, p: { n: number; c: number; hw: number }): Float64Array {
  return x.map((v, i) => v + bias[Math.floor(i / p.hw) % p.c]);
}

/** This batch's gradient only; the caller adds it for accumulate mode. */
export function biasGrad(dy: Float64Array, p: { n: number; c: number; hw: number }): Float64Array {
  const db = new Float64Array(p.c);
  for (let i = 0; i < p.n * p.c * p.hw; i++) db[Math.floor(i / p.hw) % p.c] += dy[i];
  return db;
}
