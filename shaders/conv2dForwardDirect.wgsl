// Conv2d forward (NCHW, no bias), direct and barrier-free: each invocation owns a register
// block of 4 output channels x 4 adjacent output pixels of one row and sums over every
// (ci, ky, kx) straight from global memory: 4 weight and 4 input loads feed 16 FMAs. No
// workgroup memory and no barriers, which software rasterisers (SwiftShader) run far faster
// than the tiled implicit GEMM (conv2dForward.wgsl); the tuner picks per adapter and shape.
// The block is written by storeBlock: common/convStore.wgsl (y only) or, when a train-mode
// BatchNorm reads y, common/convStoreStats.wgsl (y and per-channel partial statistics).

override WG: u32 = 64;

struct Params {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, kh: u32, kw: u32, stride: u32,
  pad: u32, ho: u32, wo: u32,
  // Channel blocks ceil(cout/4), pixel blocks per row ceil(wo/4), invocations in all.
  cob: u32, pxb: u32, total: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// x[row + ix], zero outside the image (padding).
fn tap(row: u32, ix: i32) -> f32 {
  if (ix < 0 || ix >= i32(p.w)) { return 0.0; }
  return x[row + u32(ix)];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (t >= p.total) { return; }
  // Pixel blocks fastest, so neighbouring invocations read neighbouring pixels.
  let xb = t % p.pxb;
  var r = t / p.pxb;
  let oy = r % p.ho;
  r = r / p.ho;
  let co0 = (r % p.cob) * 4u;
  let b = r / p.cob;
  let ox0 = xb * 4u;
  let khw = p.kh * p.kw;
  let s = i32(p.stride);
  // Channels past cout read the last row (in bounds) and are never stored.
  let last = p.cout - 1u;
  let w0 = min(co0, last) * p.cin * khw;
  let w1 = min(co0 + 1u, last) * p.cin * khw;
  let w2 = min(co0 + 2u, last) * p.cin * khw;
  let w3 = min(co0 + 3u, last) * p.cin * khw;
  let iyBase = i32(oy * p.stride) - i32(p.pad);
  let ixBase = i32(ox0 * p.stride) - i32(p.pad);

  var acc: array<vec4<f32>, 4>; // acc[channel][pixel]
  for (var ci = 0u; ci < p.cin; ci++) {
    let plane = (b * p.cin + ci) * p.h;
    for (var ky = 0u; ky < p.kh; ky++) {
      let iy = iyBase + i32(ky);
      if (iy < 0 || iy >= i32(p.h)) { continue; }
      let row = (plane + u32(iy)) * p.w;
      let wk = ci * khw + ky * p.kw;
      for (var kx = 0u; kx < p.kw; kx++) {
        let ix = ixBase + i32(kx);
        let v = vec4<f32>(tap(row, ix), tap(row, ix + s), tap(row, ix + 2 * s), tap(row, ix + 3 * s));
        let k = wk + kx;
        acc[0] = fma(vec4<f32>(wt[w0 + k]), v, acc[0]);
        acc[1] = fma(vec4<f32>(wt[w1 + k]), v, acc[1]);
        acc[2] = fma(vec4<f32>(wt[w2 + k]), v, acc[2]);
        acc[3] = fma(vec4<f32>(wt[w3 + k]), v, acc[3]);
      }
    }
  }

  storeBlock(b, co0, oy, ox0, acc);
}
