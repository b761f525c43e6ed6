// Float64 reference for the batched matmul kernel: C = alpha * op(A) @ op(B) + beta * C.
// Straight loops, used by tests and the validate mode only. MatmulParams (src/util/shape)
// is shared with the GPU descriptor.

import type { MatmulParams } from '../../util';

export type { MatmulParams };

/** Returns the new C (batch x m x n); `c` is needed only when beta != 0. */
export function matmul(a: Float64Array, b: Float64Array, p: MatmulParams, c?: Float64Array): Float64Array {
  const { m, n, k } = p;
  const batch = p.batch ?? 1;
  const alpha = p.alpha ?? 1;
  const beta = p.beta ?? 0;
  if (beta !== 0 && (!c || c.length < batch * m * n)) throw new Error('matmul reference: beta != 0 needs c');
  const out = new Float64Array(batch * m * n);
  for (let bt = 0; bt < batch; bt++) {
    const oa = bt * m * k;
    const ob = bt * k * n;
    const oc = bt * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) {
          const av = p.transA ? a[oa + l * m + i] : a[oa + i * k + l];
          const bv = p.transB ? b[ob + j * k + l] : b[ob + l * n + j];
          s += av * bv;
        }
        out[oc + i * n + j] = alpha * s + (beta !== 0 ? beta * c![oc + i * n + j] : 0);
      }
    }
  }
  return out;
}
