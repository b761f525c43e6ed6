// Conv2d gradient w.r.t. the input (NCHW) as an implicit GEMM: dX[ci, (b,iy,ix)] = sum over
// taps (co,ky,kx) of W[co, ci, ky, kx] * dY[b, co, oy, ox] with oy = (iy+pad-ky)/stride (likewise
// ox), taken where that lands inside dY. No col2im buffer, no atomics: each dX element is owned
// by one invocation, which also makes `accumulate` (dX += ...) safe.
// Stride phases: at stride s, only taps with ky = (iy+pad) mod s (+ s*j) divide exactly, so one
// dispatch per phase (ry, rx) covers the dX pixels iy = iy0 + s*t of that phase and sums over
// just its nky x nkx taps: no gathered term is wasted (at stride 2 a naive gather wastes 3/4).
// Stride 1 is the single phase (0, 0) with every tap.
// TM x TN tile per workgroup, 4x4 register block per invocation, TK-deep K slices in workgroup
// memory. Barriers are costly on SwiftShader (the test driver) but cheap on the real GPUs this
// targets. The tile is written by storeGrad / storePartial (see conv2dBackwardInputDirect.wgsl):
// per channel m, the invocation's 4 pixels are chunk (n0 / TN) * TN/4 + lid.x of this phase.

struct Params {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, kh: u32, kw: u32, stride: u32,
  pad: u32, ho: u32, wo: u32, M: u32,
  N: u32, K: u32, accumulate: u32,
  // The phase: its first tap (ry, rx) and tap counts, its first dX pixel and pixel counts.
  ry: u32, rx: u32, nky: u32, nkx: u32,
  iy0: u32, ix0: u32, hp: u32, wp: u32,
  // Partial sums (stats epilogue only): chunks per channel over all phases, and the first
  // chunk of this phase.
  chunks: u32, chunkBase: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(TN / 4u, TM / 4u)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let n0 = (wid.x + wid.z * nwg.x) * TN;
  if (n0 >= p.N) { return; } // whole workgroup (grid folded into z), so barriers stay uniform
  let t = gemmTileOf(lid, wid, n0);
  let amp = TM + 1u;
  let taps = p.nky * p.nkx;
  let s = p.stride;

  let gcol = t.n0 + t.col;
  let colOk = gcol < p.N;
  let php = p.hp * p.wp;
  let pix = gcol % php;
  let dyBase = (gcol / php) * p.cout * p.ho * p.wo;
  let ty0 = p.iy0 + s * (pix / p.wp) + p.pad;
  let tx0 = p.ix0 + s * (pix % p.wp) + p.pad;

  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // Weights W[co, ci, ky, kx] of this phase's taps for row ci, K fastest.
    for (var e = t.tid; e < TM * TK; e += t.nt) {
      let ml = e / TK;
      let kl = e % TK;
      let m = t.m0 + ml;
      let k = k0 + kl;
      var v = 0.0;
      if (m < p.M && k < p.K) {
        let r = k % taps;
        let ky = p.ry + s * (r / p.nkx);
        let kx = p.rx + s * (r % p.nkx);
        v = wt[(((k / taps) * p.cin + m) * p.kh + ky) * p.kw + kx];
      }
      As[kl * amp + ml] = v;
    }
    // dY gather, pixels fastest across invocations; (ty0 - ky) is a multiple of s here.
    for (var kl = t.tid / TN; kl < TK; kl += t.nt / TN) {
      let k = k0 + kl;
      var v = 0.0;
      if (colOk && k < p.K) {
        let r = k % taps;
        let ky = p.ry + s * (r / p.nkx);
        let kx = p.rx + s * (r % p.nkx);
        if (ty0 >= ky && tx0 >= kx) {
          let oy = (ty0 - ky) / s;
          let ox = (tx0 - kx) / s;
          if (oy < p.ho && ox < p.wo) { v = dy[dyBase + ((k / taps) * p.ho + oy) * p.wo + ox]; }
        }
      }
      Bs[kl * TN + t.col] = v;
    }
    workgroupBarrier();
    gemmTileFma(lid, &acc);
    workgroupBarrier();
  }

  let hw = p.h * p.w;
  // The invocation's 4 pixels (columns n0 + lid.x + j*TN/4): where each lands in dX.
  var base: array<u32, 4>;
  var ok: array<bool, 4>;
  for (var j = 0u; j < 4u; j++) {
    let n = t.n0 + lid.x + j * (TN / 4u);
    ok[j] = n < p.N;
    let q = n % php;
    base[j] = (n / php) * p.M * hw + (p.iy0 + s * (q / p.wp)) * p.w + p.ix0 + s * (q % p.wp);
  }
  let k = (t.n0 / TN) * (TN / 4u) + lid.x;
  for (var i = 0u; i < 4u; i++) {
    let m = t.m0 + lid.y + i * (TM / 4u);
    if (m >= p.M) { continue; }
    var sums = vec2<f32>(0.0);
    for (var j = 0u; j < 4u; j++) {
      if (ok[j]) { sums += storeGrad(base[j] + m * hw, m, acc[i][j]); }
    }
    storePartial(m, k, sums);
  }
}
