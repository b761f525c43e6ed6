// Conv2d forward (NCHW, no bias), direct and barrier-free: each invocation (common/perIndex.wgsl)
// owns a register block of 4 output channels x 4 adjacent output pixels of one row and sums
// over every (ci, ky, kx) straight from global memory: 4 weight and 4 input loads feed 16
// FMAs. No workgroup memory and no barriers, which software rasterisers (SwiftShader) run
// far faster than the tiled implicit GEMM (conv2dForward.wgsl); the tuner picks per adapter
// and shape. The block is written by storeBlock: common/convStore.wgsl (y only) or, when a
// train-mode BatchNorm reads y, common/convStoreStats.wgsl (y and per-channel partial
// statistics). Blocks: p.chb = ceil(cout/4) channel blocks, p.pxb = ceil(wo/4) per row.

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;

// x[row + ix], zero outside the image (padding).
fn tap(row: u32, ix: i32) -> f32 {
  if (ix < 0 || ix >= i32(p.w)) { return 0.0; }
  return x[row + u32(ix)];
}

fn item(t: u32) {
  let blk = blockOf(t, p.ho);
  let khw = p.kh * p.kw;
  let s = i32(p.stride);
  let wrow = clampedRows(blk.c0, p.cout, p.cin * khw);
  let iyBase = windowStart(blk.row);
  let ixBase = windowStart(blk.x0);

  var acc: array<vec4<f32>, 4>; // acc[channel][pixel]
  for (var ci = 0u; ci < p.cin; ci++) {
    let plane = (blk.b * p.cin + ci) * p.h;
    for (var ky = 0u; ky < p.kh; ky++) {
      let iy = iyBase + i32(ky);
      if (iy < 0 || iy >= i32(p.h)) { continue; }
      let row = (plane + u32(iy)) * p.w;
      let wk = ci * khw + ky * p.kw;
      for (var kx = 0u; kx < p.kw; kx++) {
        let ix = ixBase + i32(kx);
        let v = vec4<f32>(tap(row, ix), tap(row, ix + s), tap(row, ix + 2 * s), tap(row, ix + 3 * s));
        let k = wk + kx;
        fma4(&acc, vec4<f32>(wt[wrow.x + k], wt[wrow.y + k], wt[wrow.z + k], wt[wrow.w + k]), v);
      }
    }
  }

  storeBlock(blk.b, blk.c0, blk.row, blk.x0, acc);
}
