// Gamma and Beta draws from a RandomStream: Gamma by Marsaglia and Tsang (2000), in log
// space so that shapes far below 1 (where Gamma draws underflow to 0) still give a Beta
// draw strictly inside [0, 1]; Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).

import type { RandomStream } from './prng';

function checkShape(who: string, name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${who}: ${name} must be a positive finite number, got ${String(v)}`);
}

/** log of a Gamma(shape, 1) draw. Shape < 1 boosts: Gamma(a) = Gamma(a + 1) * U^(1/a). */
export function logGammaDraw(rng: RandomStream, shape: number): number {
  checkShape('logGammaDraw', 'shape', shape);
  if (shape < 1) {
    let u = rng.uniform();
    while (u === 0) u = rng.uniform();
    return logGammaDraw(rng, shape + 1) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.uniform();
    // The squeeze accepts most draws without a log; the exact test the rest.
    if (u < 1 - 0.0331 * z * z * z * z) return Math.log(d * v);
    if (u > 0 && Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/** One Beta(a, b) draw in [0, 1]. */
export function betaDraw(rng: RandomStream, a: number, b: number): number {
  checkShape('betaDraw', 'a', a);
  checkShape('betaDraw', 'b', b);
  const lx = logGammaDraw(rng, a);
  const ly = logGammaDraw(rng, b);
  // X / (X + Y) = 1 / (1 + exp(log Y - log X)): no 0 / 0 when both underflow.
  return 1 / (1 + Math.exp(ly - lx));
}
