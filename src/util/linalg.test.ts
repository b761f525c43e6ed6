// Checks of the float64 linear algebra: QR factors against their definition, the Haar
// sign fix, and the eigen-solver on known spectra, invariants and A v = lambda v.

import { describe, expect, it } from 'vitest';
import { gramOfColumns, haarOrthogonal, householderQR, matMul, symmetricEigen, symmetricEigenvalues, transpose } from './linalg';
import { RandomStream, Streams } from './prng';

const rng = (seed: number) => new RandomStream(seed, Streams.test);
const gaussian = (r: RandomStream, n: number) => r.normalArray(n);
const maxAbsDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const identity = (n: number) => {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
};
function randomSymmetric(r: RandomStream, n: number): Float64Array {
  const g = gaussian(r, n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (g[i * n + j] + g[j * n + i]) / 2;
  return a;
}

describe('matMul, transpose, gramOfColumns', () => {
  it('agree with hand-computed products', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5, 6); // 2 x 3
    const b = Float64Array.of(1, 0, 0, 1, 2, -1); // 3 x 2
    expect([...matMul(a, b, 2, 3, 2)]).toEqual([7, -1, 16, -1]);
    expect([...transpose(a, 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...gramOfColumns(a, 2, 3)]).toEqual([...matMul(transpose(a, 2, 3), a, 3, 2, 3)]);
  });
});

describe('householderQR', () => {
  for (const [m, n] of [
    [7, 4],
    [5, 5],
    [3, 6],
    [1, 1],
  ] as const) {
    it(`${m} x ${n}: Q^T Q = I, R upper triangular, QR = A`, () => {
      const a = gaussian(rng(m * 10 + n), m * n);
      const { q, r, k } = householderQR(a, m, n);
      expect(k).toBe(Math.min(m, n));
      expect(maxAbsDiff(matMul(transpose(q, m, k), q, k, m, k), identity(k))).toBeLessThan(1e-13);
      for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
      expect(maxAbsDiff(matMul(q, r, m, k, n), a)).toBeLessThan(1e-13);
    });
  }

  it('handles a zero column (rank-deficient input) without NaNs', () => {
    const a = Float64Array.of(0, 1, 0, 2, 0, 3); // 3 x 2, first column zero
    const { q, r } = householderQR(a, 3, 2);
    expect([...q, ...r].every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(matMul(q, r, 3, 2, 2), a)).toBeLessThan(1e-14);
  });
});

describe('haarOrthogonal', () => {
  it('has orthonormal columns when p >= q and orthonormal rows when p < q', () => {
    const tall = haarOrthogonal(rng(1), 9, 4);
    expect(maxAbsDiff(matMul(transpose(tall, 9, 4), tall, 4, 9, 4), identity(4))).toBeLessThan(1e-13);
    const wide = haarOrthogonal(rng(2), 3, 8);
    expect(maxAbsDiff(matMul(wide, transpose(wide, 3, 8), 3, 8, 3), identity(3))).toBeLessThan(1e-13);
  });

  it('is Q of the Gaussian draw with the signs of diag(R) folded in (so R gets a positive diagonal)', () => {
    const [p, q] = [6, 4];
    const g = gaussian(rng(3), p * q); // same stream, same draws as haarOrthogonal's
    const u = haarOrthogonal(rng(3), p, q);
    const r = matMul(transpose(u, p, q), g, q, p, q); // U^T G = R' with U R' = G
    expect(maxAbsDiff(matMul(u, r, p, q, q), g)).toBeLessThan(1e-13);
    for (let i = 0; i < q; i++) expect(r[i * q + i]).toBeGreaterThan(0);
  });

  it('is Haar: a diagonal entry is symmetric about 0 with mean 0 and variance 1/p', () => {
    // The sign fix makes U's first column G's first column normalised, so U[0][0] has
    // the sign of G[0][0] every time; without it this QR's reflector convention flips
    // it every time. The marginal of U[0][0] must still be symmetric with variance 1/p.
    const p = 5;
    const trials = 4000;
    let sum = 0;
    let sumSq = 0;
    let positive = 0;
    let sameSignAsDraw = 0;
    const r = rng(4);
    for (let t = 0; t < trials; t++) {
      const fork = r.fork(t);
      const g00 = new RandomStream(fork.seed, fork.stream).normal();
      const u = haarOrthogonal(fork, p, p);
      sum += u[0];
      sumSq += u[0] * u[0];
      if (u[0] > 0) positive++;
      if (u[0] * g00 > 0) sameSignAsDraw++;
    }
    expect(Math.abs(sum / trials)).toBeLessThan(4 * Math.sqrt(1 / p / trials));
    expect(Math.abs(sumSq / trials - 1 / p)).toBeLessThan(0.02);
    expect(Math.abs(positive / trials - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / trials));
    expect(sameSignAsDraw).toBe(trials);
  });
});

describe('symmetricEigen', () => {
  it('finds known spectra: diagonal, 2 x 2, path-graph Laplacian', () => {
    expect([...symmetricEigenvalues(Float64Array.of(3, 0, 0, 0, -1, 0, 0, 0, 2), 3)]).toEqual([-1, 2, 3]);
    const two = symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2);
    expect(two[0]).toBeCloseTo(1, 14);
    expect(two[1]).toBeCloseTo(3, 14);
    // Path-graph Laplacian-like tridiagonal (2 on the diagonal, -1 off): 2 - 2 cos(k pi / (n + 1)).
    const n = 40;
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i * n + i] = 2;
      if (i > 0) t[i * n + i - 1] = t[(i - 1) * n + i] = -1;
    }
    const got = symmetricEigenvalues(t, n);
    for (let k = 1; k <= n; k++) expect(Math.abs(got[k - 1] - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThan(1e-13);
  });

  it('recovers a planted spectrum Q diag(l) Q^T, including repeated eigenvalues', () => {
    const n = 30;
    const l = Float64Array.from({ length: n }, (_, i) => (i < 10 ? 1 : i - 15));
    const q = haarOrthogonal(rng(5), n, n);
    const a = matMul(
      matMul(
        q,
        new Float64Array(n * n).map((_, k) => (k % (n + 1) === 0 ? l[k / (n + 1)] : 0)),
        n,
        n,
        n,
      ),
      transpose(q, n, n),
      n,
      n,
      n,
    );
    expect(maxAbsDiff(symmetricEigenvalues(a, n), Float64Array.from(l).sort())).toBeLessThan(1e-12);
  });

  it('random matrices: trace and Frobenius invariants, ascending order, A v = lambda v', () => {
    for (const n of [1, 2, 7, 64]) {
      const a = randomSymmetric(rng(100 + n), n);
      const { values, vectors } = symmetricEigen(a, n);
      const trace = a.reduce((s, x, k) => s + (k % (n + 1) === 0 ? x : 0), 0);
      const frob = a.reduce((s, x) => s + x * x, 0);
      expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 11);
      expect(values.reduce((s, x) => s + x * x, 0)).toBeCloseTo(frob, 9);
      for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
      for (let i = 0; i < n; i++) {
        const v = vectors.subarray(i * n, i * n + n);
        const av = matMul(a, v, n, n, 1);
        expect(Math.hypot(...v)).toBeCloseTo(1, 12);
        expect(
          maxAbsDiff(
            av,
            v.map((x) => x * values[i]),
          ),
        ).toBeLessThan(1e-12 * n);
      }
      expect(maxAbsDiff(symmetricEigenvalues(a, n), values)).toBeLessThan(1e-12);
    }
  });

  it('reads only the lower triangle', () => {
    const full = randomSymmetric(rng(9), 12);
    const lower = full.map((x, k) => (k % 12 <= Math.floor(k / 12) ? x : 0));
    expect(maxAbsDiff(symmetricEigenvalues(lower, 12), symmetricEigenvalues(full, 12))).toBe(0);
  });

  it('1000 x 1000 random symmetric matrix: trace, Frobenius norm, semicircle edge', () => {
    const n = 1000;
    const a = randomSymmetric(rng(11), n);
    const values = symmetricEigenvalues(a, n);
    const trace = a.reduce((s, x, k) => s + (k % (n + 1) === 0 ? x : 0), 0);
    const frob = a.reduce((s, x) => s + x * x, 0);
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 8);
    expect(values.reduce((s, x) => s + x * x, 0) / frob).toBeCloseTo(1, 11);
    // Off-diagonal variance 1/2: Wigner's semicircle has radius 2 sqrt(n / 2).
    const edge = 2 * Math.sqrt(n / 2);
    expect(values[n - 1] / edge).toBeGreaterThan(0.95);
    expect(values[n - 1] / edge).toBeLessThan(1.05);
    expect(-values[0] / edge).toBeGreaterThan(0.95);
    expect(-values[0] / edge).toBeLessThan(1.05);
  });
});

describe('symmetricEigenvalues with tiny off-diagonal entries', () => {
  it('does not underflow into NaN (regression: 1e-160 couplings)', () => {
    const a = Float64Array.from([1, 0, 1e-160, 0, 2, 0, 1e-160, 0, 3]);
    const ev = symmetricEigenvalues(a, 3);
    expect([...ev].every(Number.isFinite)).toBe(true);
    expect(ev[0]).toBeCloseTo(1, 12);
    expect(ev[1]).toBeCloseTo(2, 12);
    expect(ev[2]).toBeCloseTo(3, 12);
  });
});
