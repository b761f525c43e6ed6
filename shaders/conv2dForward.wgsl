// Conv2d forward (NCHW, no bias) as an implicit GEMM: Y[co, (b,oy,ox)] = sum over
// k = (ci,ky,kx) of W[co, k] * X[b, ci, oy*s-pad+ky, ox*s-pad+kx]. The im2col matrix is
// never materialised: each TK-deep slice of it is gathered straight into workgroup memory.
// TM x TN output tile per workgroup, 4x4 register block per invocation. The two barriers
// per K slice are costly on SwiftShader (the test driver) but cheap on the real GPUs this targets.
// The tile is written by storeTile: common/gemmStore.wgsl (y only) or, when a train-mode
// BatchNorm reads y, common/gemmStoreStats.wgsl (y and per-channel partial statistics).

struct Params {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, kh: u32, kw: u32, stride: u32,
  pad: u32, ho: u32, wo: u32, M: u32,
  N: u32, K: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(TN / 4u, TM / 4u)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let n0 = (wid.x + wid.z * nwg.x) * TN;
  if (n0 >= p.N) { return; } // whole workgroup (grid folded into z), so barriers stay uniform
  let t = gemmTileOf(lid, wid, n0);
  let amp = TM + 1u;

  let gcol = t.n0 + t.col;
  let colOk = gcol < p.N;
  let hwo = p.ho * p.wo;
  let pix = gcol % hwo;
  let xBase = (gcol / hwo) * p.cin * p.h * p.w;
  let iy0 = i32((pix / p.wo) * p.stride) - i32(p.pad);
  let ix0 = i32((pix % p.wo) * p.stride) - i32(p.pad);
  let khw = p.kh * p.kw;

  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // Weights: K fastest across invocations, so rows of W are read contiguously.
    for (var e = t.tid; e < TM * TK; e += t.nt) {
      let ml = e / TK;
      let kl = e % TK;
      let m = t.m0 + ml;
      let k = k0 + kl;
      var v = 0.0;
      if (m < p.M && k < p.K) { v = wt[m * p.K + k]; }
      As[kl * amp + ml] = v;
    }
    // Inputs: pixels fastest across invocations, so neighbouring invocations read
    // neighbouring input pixels (contiguous at stride 1). Padding reads as zero.
    for (var kl = t.tid / TN; kl < TK; kl += t.nt / TN) {
      let k = k0 + kl;
      var v = 0.0;
      if (colOk && k < p.K) {
        let ci = k / khw;
        let r = k % khw;
        let iy = iy0 + i32(r / p.kw);
        let ix = ix0 + i32(r % p.kw);
        if (iy >= 0 && iy < i32(p.h) && ix >= 0 && ix < i32(p.w)) {
          v = x[xBase + (ci * p.h + u32(iy)) * p.w + u32(ix)];
        }
      }
      Bs[kl * TN + t.col] = v;
    }
    workgroupBarrier();
    gemmTileFma(lid, &acc);
    workgroupBarrier();
  }

  storeTile(t.n0, t.m0, lid, acc);
}
