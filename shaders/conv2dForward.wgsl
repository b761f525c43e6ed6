// Conv2d forward (NCHW, no bias) as an implicit GEMM (common/implicitGemmTile.wgsl):
// Y[co, (b,oy,ox)] = sum over k = (ci,ky,kx) of W[co, k] * X[b, ci, oy*s-pad+ky, ox*s-pad+kx].
// The im2col matrix is never materialised: each TK-deep slice of it is gathered straight
// into workgroup memory. M = cout, N = n*ho*wo, K = cin*kh*kw.

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

// Output pixel n = (b, oy, ox): the offset of image b in x and the window's first row and
// column (negative in the padding).
struct GemmCol { xBase: u32, iy0: i32, ix0: i32 }

fn gemmColumn(n: u32) -> GemmCol {
  let hwo = p.ho * p.wo;
  let pix = n % hwo;
  return GemmCol((n / hwo) * p.cin * p.h * p.w, windowStart(pix / p.wo), windowStart(pix % p.wo));
}

fn gemmA(m: u32, k: u32) -> f32 { return wt[m * p.K + k]; }

fn gemmB(c: GemmCol, k: u32) -> f32 {
  let khw = p.kh * p.kw;
  let ci = k / khw;
  let r = k % khw;
  let iy = c.iy0 + i32(r / p.kw);
  let ix = c.ix0 + i32(r % p.kw);
  if (!inImage(iy, ix)) { return 0.0; }
  return x[c.xBase + (ci * p.h + u32(iy)) * p.w + u32(ix)];
}

fn gemmOut(n: u32) -> u32 {
  let hwo = p.ho * p.wo;
  return (n / hwo) * p.M * hwo + n % hwo;
}

fn gemmRowStride() -> u32 { return p.ho * p.wo; }

fn gemmStore(at: u32, v: f32) { y[at] = v; }
