// Test-only error bound for the GPU sum reductions (reduce.ts), derived from the shape of
// its addition tree so the tolerance follows the kernel's constants. Not a runtime check.

import { REDUCE_ITEMS_PER_THREAD, REDUCE_MAX_PARTIALS, REDUCE_WG } from '../../gpu';

/** Worst-case float32 error of summing n terms whose magnitudes add up to absSum: every
 * operation on the longest chain rounds once (WGSL f32 + and * are correctly rounded),
 * costing at most 2^-24 * absSum each. The chain: the per-thread grid-stride terms, a
 * log2(WG) tree, <= MAX_PARTIALS/WG second-pass terms, another tree, plus the product
 * (x*y, x^2) and the final scale. Inputs must be f32-rounded before the reference. */
export function sumErrorBound(n: number, absSum: number): number {
  const perThread = Math.max(REDUCE_ITEMS_PER_THREAD, Math.ceil(n / (REDUCE_WG * REDUCE_MAX_PARTIALS)));
  const tree = Math.log2(REDUCE_WG);
  const chain = perThread + tree + REDUCE_MAX_PARTIALS / REDUCE_WG + tree + 2;
  return chain * 2 ** -24 * absSum;
}
