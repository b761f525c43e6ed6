// Central finite differences in float64 for the gradient-check tests. Truncation is
// ~ h^2 * f''' ~ 1e-12 and rounding ~ 1e-16 * sum|terms of f| / h ~ 1e-9 at these sizes,
// so an element passes when |analytic - numeric| <= RTOL * max(|analytic|, |numeric|) +
// ATOL; a wrong backward misses by O(|gradient|), orders above this. Tests only.

const H = 1e-6;
const RTOL = 1e-6;
const ATOL = 1e-8;

/** Worst ratio of error to tolerance over all elements of x (<= 1 passes). Restores x. */
export function fdWorst(f: () => number, x: Float64Array, analytic: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + H;
    const fp = f();
    x[i] = x0 - H;
    const fm = f();
    x[i] = x0;
    const numeric = (fp - fm) / (2 * H);
    const tol = RTOL * Math.max(Math.abs(analytic[i]), Math.abs(numeric)) + ATOL;
    worst = Math.max(worst, Math.abs(analytic[i] - numeric) / tol);
  }
  return worst;
}
