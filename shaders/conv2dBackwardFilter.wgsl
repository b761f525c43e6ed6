// Filter gradient of an NCHW 2-D convolution as an implicit GEMM with split-K:
// dw[co, c] = sum_j dy[co, j] * im2col(x)[c, j], M = cout, N = cin*kh*kw, K = n*ho*wo.
// Workgroup (x, y, z) computes one output tile over the z-th chunk of K and writes it to
// out[z*M*N + co*N + c]: a partial for splitKReduce, or dw itself when there is one chunk.
override WG_M: u32 = 8;
override WG_N: u32 = 8;
override TK: u32 = 16;

// Each invocation owns RB x RB outputs, strided by the workgroup size so that neighbouring
// invocations read neighbouring workgroup-memory words (no bank conflicts, coalesced stores).
const RB: u32 = 4u;

struct Params {
  m: u32, n: u32, k: u32, chunk: u32,
  cin: u32, h: u32, w: u32, kh: u32,
  kw: u32, ho: u32, wo: u32, stride: u32,
  pad: u32, accumulate: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// Tiles are stored [TK][T + 1]: the loads walk j fastest (coalesced in global memory), so
// they write columns here, and the odd row stride keeps those writes conflict-free.
var<workgroup> aTile: array<f32, TK * (WG_M * RB + 1u)>;
var<workgroup> bTile: array<f32, TK * (WG_N * RB + 1u)>;

fn loadDy(j: u32, co: u32) -> f32 {
  let howo = p.ho * p.wo;
  let b = j / howo;
  return dy[(b * p.m + co) * howo + (j - b * howo)];
}

fn loadIm2col(j: u32, c: u32) -> f32 {
  let howo = p.ho * p.wo;
  let b = j / howo;
  let q = j - b * howo;
  let oy = q / p.wo;
  let ox = q - oy * p.wo;
  let khkw = p.kh * p.kw;
  let ci = c / khkw;
  let r = c - ci * khkw;
  let ky = r / p.kw;
  let kx = r - ky * p.kw;
  let iy = i32(oy * p.stride + ky) - i32(p.pad);
  let ix = i32(ox * p.stride + kx) - i32(p.pad);
  if (iy < 0 || ix < 0 || iy >= i32(p.h) || ix >= i32(p.w)) { return 0.0; }
  return x[((b * p.cin + ci) * p.h + u32(iy)) * p.w + u32(ix)];
}

@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let tm = WG_M * RB;
  let tn = WG_N * RB;
  let aStride = tm + 1u;
  let bStride = tn + 1u;
  let m0 = wid.y * tm;
  let n0 = wid.x * tn;
  let kBegin = wid.z * p.chunk;
  let kEnd = min(p.k, kBegin + p.chunk);
  let t = lid.y * WG_N + lid.x;
  let threads = WG_M * WG_N;

  var acc: array<vec4<f32>, 4>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
    for (var e = t; e < TK * tm; e += threads) {
      let jj = e % TK;
      let mm = e / TK;
      var v = 0.0;
      if (k0 + jj < kEnd && m0 + mm < p.m) { v = loadDy(k0 + jj, m0 + mm); }
      aTile[jj * aStride + mm] = v;
    }
    for (var e = t; e < TK * tn; e += threads) {
      let jj = e % TK;
      let nn = e / TK;
      var v = 0.0;
      if (k0 + jj < kEnd && n0 + nn < p.n) { v = loadIm2col(k0 + jj, n0 + nn); }
      bTile[jj * bStride + nn] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: vec4<f32>;
      var b: vec4<f32>;
      for (var i = 0u; i < RB; i++) {
        a[i] = aTile[kk * aStride + lid.y + i * WG_M];
        b[i] = bTile[kk * bStride + lid.x + i * WG_N];
      }
      for (var i = 0u; i < RB; i++) { acc[i] = fma(vec4<f32>(a[i]), b, acc[i]); }
    }
    workgroupBarrier();
  }

  let base = wid.z * p.m * p.n;
  for (var i = 0u; i < RB; i++) {
    let row = m0 + lid.y + i * WG_M;
    if (row >= p.m) { break; }
    for (var c = 0u; c < RB; c++) {
      let col = n0 + lid.x + c * WG_N;
      if (col >= p.n) { break; }
      let idx = base + row * p.n + col;
      var v = acc[i][c];
      if (p.accumulate != 0u) { v += out[idx]; }
      out[idx] = v;
    }
  }
}
