// Conv2d input gradient (NCHW), direct and barrier-free, one dispatch per stride phase as in
// conv2dBackwardInput.wgsl: phase (ry, rx) covers the dX pixels iy = iy0 + s*py, ix = ix0 + s*px
// and only its nky x nkx taps ky = ry + s*a, kx = rx + s*c, for which oy = oyBase + py - a and
// ox = oxBase + px - c exactly (no wasted gather). Each invocation owns 4 input channels x 4
// adjacent phase pixels of one row, so its 4 dY reads per tap are adjacent too: 4 weight and
// 4 dY loads feed 16 FMAs, with no workgroup memory and no barriers. Each dX element has one
// owner, so `accumulate` (dX += ...) is safe.
// The block is written by storeGrad / storePartial: common/convGradStore.wgsl (dX only) or,
// when a train-mode BatchNorm's backward reads dX, common/convGradStoreBnStats.wgsl (dX and
// that BatchNorm's per-channel partial sums over the block, chunk k of this phase).

override WG: u32 = 64;

struct Params {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, kh: u32, kw: u32, stride: u32,
  ho: u32, wo: u32, accumulate: u32,
  // The phase: first tap (ry, rx), tap counts, first dX pixel, pixel counts, and the dY
  // coordinate of its pixel (0, 0) at tap (0, 0): (iy0 + pad - ry) / stride (likewise x).
  ry: u32, rx: u32, nky: u32, nkx: u32,
  iy0: u32, ix0: u32, hp: u32, wp: u32,
  oyBase: u32, oxBase: u32,
  // Channel blocks ceil(cin/4), pixel blocks per phase row ceil(wp/4), invocations in all.
  cib: u32, pxb: u32, total: u32,
  // Partial sums (stats epilogue only): chunks per channel over all phases, and the first
  // chunk of this phase.
  chunks: u32, chunkBase: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// dy[row + ox], zero outside dY.
fn grad(row: u32, ox: i32) -> f32 {
  if (ox < 0 || ox >= i32(p.wo)) { return 0.0; }
  return dy[row + u32(ox)];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (t >= p.total) { return; }
  let xb = t % p.pxb;
  var r = t / p.pxb;
  let py = r % p.hp;
  r = r / p.hp;
  let ci0 = (r % p.cib) * 4u;
  let b = r / p.cib;
  let px0 = xb * 4u;
  let khw = p.kh * p.kw;
  let s = p.stride;
  // Channels past cin read the last one (in bounds) and are never stored.
  let last = p.cin - 1u;
  let c0 = min(ci0, last) * khw;
  let c1 = min(ci0 + 1u, last) * khw;
  let c2 = min(ci0 + 2u, last) * khw;
  let c3 = min(ci0 + 3u, last) * khw;
  let oy0 = i32(p.oyBase + py);
  let ox0 = i32(p.oxBase + px0);

  var acc: array<vec4<f32>, 4>; // acc[channel][pixel]
  for (var co = 0u; co < p.cout; co++) {
    let plane = (b * p.cout + co) * p.ho;
    let wco = co * p.cin * khw;
    for (var a = 0u; a < p.nky; a++) {
      let oy = oy0 - i32(a);
      if (oy < 0 || oy >= i32(p.ho)) { continue; }
      let row = (plane + u32(oy)) * p.wo;
      let wk = wco + (p.ry + s * a) * p.kw + p.rx;
      for (var c = 0u; c < p.nkx; c++) {
        let ox = ox0 - i32(c);
        let v = vec4<f32>(grad(row, ox), grad(row, ox + 1), grad(row, ox + 2), grad(row, ox + 3));
        let k = wk + s * c;
        acc[0] = fma(vec4<f32>(wt[k + c0]), v, acc[0]);
        acc[1] = fma(vec4<f32>(wt[k + c1]), v, acc[1]);
        acc[2] = fma(vec4<f32>(wt[k + c2]), v, acc[2]);
        acc[3] = fma(vec4<f32>(wt[k + c3]), v, acc[3]);
      }
    }
  }

  let hw = p.h * p.w;
  let iy = p.iy0 + s * py;
  let k = (b * p.hp + py) * p.pxb + xb;
  for (var i = 0u; i < 4u; i++) {
    let ci = ci0 + i;
    if (ci >= p.cin) { break; }
    let at = (b * p.cin + ci) * hw + iy * p.w + p.ix0;
    var sums = vec2<f32>(0.0);
    for (var j = 0u; j < 4u; j++) {
      let px = px0 + j;
      if (px >= p.wp) { break; }
      sums += storeGrad(at + s * px, ci, acc[i][j]);
    }
    storePartial(ci, k, sums);
  }
}
