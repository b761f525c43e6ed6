// Conv2d gradient w.r.t. the input (NCHW) as an implicit GEMM (common/implicitGemmTile.wgsl):
// dX[ci, (b,iy,ix)] = sum over taps (co,ky,kx) of W[co, ci, ky, kx] * dY[b, co, oy, ox] with
// oy = (iy+pad-ky)/stride (likewise ox), taken where that lands inside dY. No col2im buffer,
// no atomics: each dX element is owned by one invocation, which also makes `accumulate`
// (dX += ...) safe.
// Stride phases: at stride s, only taps with ky = (iy+pad) mod s (+ s*j) divide exactly, so one
// dispatch per phase (ry, rx) covers the dX pixels iy = iy0 + s*t of that phase and sums over
// just its nky x nkx taps: no gathered term is wasted (at stride 2 a naive gather wastes 3/4).
// Stride 1 is the single phase (0, 0) with every tap. M = cin, N = n*hp*wp, K = cout*nky*nkx.

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// The tap (ky, kx) of reduction index k = (co, phase tap).
fn phaseTap(k: u32) -> vec2<u32> {
  let r = k % (p.nky * p.nkx);
  return vec2<u32>(p.ry + p.stride * (r / p.nkx), p.rx + p.stride * (r % p.nkx));
}

// Phase pixel n: the offset of image b in dY and its (iy + pad, ix + pad).
struct GemmCol { dyBase: u32, ty0: u32, tx0: u32 }

fn gemmColumn(n: u32) -> GemmCol {
  let pix = n % (p.hp * p.wp);
  let dyBase = (n / (p.hp * p.wp)) * p.cout * p.ho * p.wo;
  return GemmCol(dyBase, p.iy0 + p.stride * (pix / p.wp) + p.pad, p.ix0 + p.stride * (pix % p.wp) + p.pad);
}

// Weights W[co, ci, ky, kx] of this phase's taps for row ci = m.
fn gemmA(m: u32, k: u32) -> f32 {
  let tap = phaseTap(k);
  return wt[(((k / (p.nky * p.nkx)) * p.cin + m) * p.kh + tap.x) * p.kw + tap.y];
}

// dY gather; (ty0 - ky) is a multiple of the stride here.
fn gemmB(c: GemmCol, k: u32) -> f32 {
  let tap = phaseTap(k);
  if (c.ty0 < tap.x || c.tx0 < tap.y) { return 0.0; }
  let oy = (c.ty0 - tap.x) / p.stride;
  let ox = (c.tx0 - tap.y) / p.stride;
  if (oy >= p.ho || ox >= p.wo) { return 0.0; }
  return dy[c.dyBase + ((k / (p.nky * p.nkx)) * p.ho + oy) * p.wo + ox];
}

fn gemmOut(n: u32) -> u32 {
  let q = n % (p.hp * p.wp);
  return (n / (p.hp * p.wp)) * p.M * p.h * p.w + (p.iy0 + p.stride * (q / p.wp)) * p.w + p.ix0 + p.stride * (q % p.wp);
}

fn gemmRowStride() -> u32 { return p.h * p.w; }

fn gemmStore(at: u32, v: f32) {
  if (p.accumulate != 0u) { dx[at] += v; } else { dx[at] = v; }
}
