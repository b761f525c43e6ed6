// Float64 dense linear algebra on row-major Float64Arrays: products, Householder QR,
// Haar-random orthogonal matrices (orth(p, q) of docs/science.md section 2) and a symmetric
// eigen-solver (Householder tridiagonalisation + implicit QL). Small and exact enough
// for init schemes and Jacobian spectra; not a BLAS, nothing here runs on the GPU.

/** Anything that draws standard normals (RandomStream does); kept structural so util
 * stays free of imports. */
export interface NormalSource {
  normal(): number;
}

/** (m x k) times (k x n). */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const ait = a[i * k + t];
      if (ait === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += ait * b[t * n + j];
    }
  }
  return out;
}

export function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/** A^T A (n x n) for an m x n matrix A; symmetric by construction. */
export function gramOfColumns(a: Float64Array, m: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    const row = r * n;
    for (let i = 0; i < n; i++) {
      const ai = a[row + i];
      if (ai === 0) continue;
      for (let j = i; j < n; j++) g[i * n + j] += ai * a[row + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[i * n + j] = g[j * n + i];
  return g;
}

export interface QR {
  /** m x k with orthonormal columns, k = min(m, n). */
  q: Float64Array;
  /** k x n, upper triangular (trapezoidal when m < n). */
  r: Float64Array;
  k: number;
}

/** Thin Householder QR: A = Q R. R's diagonal may be negative (see haarOrthogonal). */
export function householderQR(a: Float64Array, m: number, n: number): QR {
  if (a.length !== m * n) throw new Error(`householderQR: ${a.length} values for ${m} x ${n}`);
  const w = Float64Array.from(a);
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const proj = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(m - j);
    let norm2 = 0;
    for (let r = j; r < m; r++) norm2 += w[r * n + j] ** 2;
    const x0 = w[j * n + j];
    const alpha = (x0 >= 0 ? -1 : 1) * Math.sqrt(norm2);
    for (let r = j; r < m; r++) v[r - j] = w[r * n + j];
    v[0] -= alpha;
    const vtv = 2 * (norm2 - x0 * alpha); // |x - alpha e1|^2 without cancellation
    vs.push(v);
    if (vtv === 0) continue; // zero column: H = I
    applyReflector(w, n, j, v, 2 / vtv, j, proj);
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = w[i * n + j];
  // Q = H_0 ... H_{k-1} [I_k; 0], applied right to left.
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  const projQ = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    let vtv = 0;
    for (const x of v) vtv += x * x;
    if (vtv > 0) applyReflector(q, k, j, v, 2 / vtv, 0, projQ);
  }
  return { q, r, k };
}

/** Rows from..from+v.length-1 of the row-major `mat` (ncols wide), columns c0.., get
 * (I - beta v v^T) applied from the left. */
function applyReflector(
  mat: Float64Array,
  ncols: number,
  from: number,
  v: Float64Array,
  beta: number,
  c0: number,
  scratch: Float64Array,
): void {
  scratch.fill(0);
  for (let t = 0; t < v.length; t++) {
    const vt = v[t];
    const row = (from + t) * ncols;
    for (let c = c0; c < ncols; c++) scratch[c] += vt * mat[row + c];
  }
  for (let t = 0; t < v.length; t++) {
    const f = beta * v[t];
    const row = (from + t) * ncols;
    for (let c = c0; c < ncols; c++) mat[row + c] -= f * scratch[c];
  }
}

/** orth(p, q): a Haar-random p x q matrix with orthonormal columns (p >= q) or rows
 * (p < q). Gaussian draws in row-major order, then QR; multiplying Q's columns by the
 * signs of R's diagonal makes the factorisation unique, which is what makes Q Haar
 * (without it Q is biased by the reflector's sign convention). */
export function haarOrthogonal(rng: NormalSource, p: number, q: number): Float64Array {
  if (!Number.isInteger(p) || !Number.isInteger(q) || p < 1 || q < 1) throw new Error(`haarOrthogonal: bad size ${p} x ${q}`);
  if (p < q) return transpose(haarOrthogonal(rng, q, p), q, p);
  const g = new Float64Array(p * q);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  const { q: mat, r } = householderQR(g, p, q);
  for (let j = 0; j < q; j++) {
    if (r[j * q + j] >= 0) continue;
    for (let i = 0; i < p; i++) mat[i * q + j] = -mat[i * q + j];
  }
  return mat;
}

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** n x n; row i is a unit eigenvector of values[i]. */
  vectors: Float64Array;
}

/** Eigenvalues of a symmetric n x n matrix (only symmetry is assumed; the lower triangle
 * is what is read), ascending. O(n^3) with a small constant: 1000 x 1000 takes about a
 * second or two. */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  return solve(a, n, false).values;
}

/** Eigenvalues and eigenvectors; several times the work of symmetricEigenvalues (the
 * rotations touch whole vectors), meant for small matrices and checks. */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const { values, vectors } = solve(a, n, true);
  return { values, vectors: vectors! };
}

function solve(a: Float64Array, n: number, wantVectors: boolean): { values: Float64Array; vectors?: Float64Array } {
  if (a.length !== n * n) throw new Error(`symmetricEigen: ${a.length} values for ${n} x ${n}`);
  // Only the lower triangle of this copy is ever read.
  const w = Float64Array.from(a);
  const { d, e, hs } = tridiagonalise(w, n);
  const vt = wantVectors ? reflectorsProduct(w, hs, n) : undefined;
  implicitQL(d, e, vt);
  const order = Array.from(d.keys()).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (i) => d[i]);
  if (!vt) return { values };
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => vectors.set(vt.subarray(src * n, src * n + n), dst * n));
  return { values, vectors };
}

/** Reduces the symmetric `w` (lower triangle) to tridiagonal T = Q^T A Q, last row first: step i
 * reflects coordinates 0..i-1 so that row i keeps only its sub-diagonal entry. The
 * reflector of step i is left in row i of `w` (entries 0..i-1), its 2/|v|^2 in hs[i]. */
function tridiagonalise(w: Float64Array, n: number): { d: Float64Array; e: Float64Array; hs: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] = T[i][i-1]
  const hs = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = n - 1; i >= 1; i--) {
    const row = i * n;
    const l = i - 1;
    d[i] = w[row + i];
    // Scale the row to max |entry| = 1 first (as JAMA's tred2 does): squares of tiny
    // entries would underflow to subnormals and make 2/|v|^2 infinite.
    let scale = 0;
    for (let k = 0; k < l; k++) scale = Math.max(scale, Math.abs(w[row + k]));
    if (scale === 0) {
      e[i] = w[row + l];
      continue;
    }
    scale = Math.max(scale, Math.abs(w[row + l]));
    for (let k = 0; k <= l; k++) w[row + k] /= scale;
    let below = 0; // squares of row i left of the sub-diagonal
    for (let k = 0; k < l; k++) below += w[row + k] ** 2;
    const xl = w[row + l];
    const sigma = below + xl * xl;
    const alpha = (xl >= 0 ? -1 : 1) * Math.sqrt(sigma);
    e[i] = alpha * scale;
    w[row + l] = xl - alpha; // row i now holds v (scaled; H does not depend on |v|)
    const beta = 1 / (sigma - xl * alpha); // 2 / |v|^2
    hs[i] = beta;
    // B <- H B H with H = I - beta v v^T on the leading i x i block B, as a symmetric
    // rank-2 update: p = beta B v, q = p - (beta v^T p / 2) v, B -= v q^T + q v^T.
    // Only B's lower triangle is read and written, walking rows (contiguous memory).
    p.fill(0, 0, i);
    for (let r = 0; r < i; r++) {
      const br = r * n;
      const vr = w[row + r];
      let s = 0;
      for (let c = 0; c < r; c++) {
        const b = w[br + c];
        s += b * w[row + c];
        p[c] += b * vr;
      }
      p[r] += s + w[br + r] * vr;
    }
    let vtp = 0;
    for (let r = 0; r < i; r++) {
      p[r] *= beta;
      vtp += w[row + r] * p[r];
    }
    const kk = (beta * vtp) / 2;
    for (let r = 0; r < i; r++) p[r] -= kk * w[row + r];
    for (let r = 0; r < i; r++) {
      const br = r * n;
      const vr = w[row + r];
      const qr = p[r];
      for (let c = 0; c <= r; c++) w[br + c] -= vr * p[c] + qr * w[row + c];
    }
  }
  d[0] = w[0];
  return { d, e, hs };
}

/** Q^T (rows = columns of Q) for Q = H_{n-1} ... H_2 from the reflectors in `w`. */
function reflectorsProduct(w: Float64Array, hs: Float64Array, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const scratch = new Float64Array(n);
  for (let i = 2; i < n; i++) {
    if (hs[i] === 0) continue;
    applyReflector(q, n, 0, w.subarray(i * n, i * n + i), hs[i], 0, scratch);
  }
  return transpose(q, n, n);
}

/** Implicit QL with Wilkinson-type shifts on (d, e) (JAMA's tql2, after EISPACK). With
 * `vt` (rows = current eigenvector estimates) the rotations are applied to its rows. */
function implicitQL(d: Float64Array, e: Float64Array, vt: Float64Array | undefined): void {
  const n = d.length;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (vt) rotateRows(vt, n, i, s, c);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

function rotateRows(vt: Float64Array, n: number, i: number, s: number, c: number): void {
  const a = i * n;
  const b = (i + 1) * n;
  for (let k = 0; k < n; k++) {
    const h = vt[b + k];
    vt[b + k] = s * vt[a + k] + c * h;
    vt[a + k] = c * vt[a + k] - s * h;
  }
}
