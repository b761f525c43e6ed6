// Conv2d forward (NCHW, no bias), direct and barrier-free: each invocation (common/perIndex.wgsl)
// owns a register block of 4 output channels x DIRECT_PX adjacent output pixels of one row
// and sums over every (ci, ky) row of the input straight from global memory: the generated
// `rowTaps` (src/gpu/kernels/convRowTaps.ts, specialised to kw and the stride) loads the
// row's values once and applies every kx tap to them. No workgroup memory and no barriers,
// which software rasterisers (SwiftShader) run far faster than the tiled implicit GEMM
// (conv2dForward.wgsl); the tuner picks per adapter and shape. Each group of 4 pixels is
// written by storeGroup: common/convStore.wgsl (y only) or, when a train-mode BatchNorm
// reads y, common/convStoreStats.wgsl (y and per-channel partial statistics). Blocks:
// p.chb = ceil(cout/4) channel blocks, p.pxb = ceil(wo/DIRECT_PX) per row.

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;

// The row load rowTaps calls: x's row value, zero in the padding (common/convInputRow.wgsl).
fn load(row: u32, ix: i32) -> f32 { return xAt(row, ix); }

fn item(t: u32) {
  let blk = blockOf(t, p.ho, DIRECT_PX);
  let khw = p.kh * p.kw;
  let wrow = clampedRows(blk.c0, p.cout, p.cin * khw);
  let iyBase = windowStart(blk.row);
  let ixBase = windowStart(blk.x0);

  var acc: Acc;
  // Tap rows outside: the padding test runs once per tap row, not once per input channel.
  for (var ky = 0u; ky < p.kh; ky++) {
    let iy = iyBase + i32(ky);
    if (iy < 0 || iy >= i32(p.h)) { continue; }
    let hw = p.h * p.w;
    let row0 = blk.b * p.cin * hw + u32(iy) * p.w;
    for (var ci = 0u; ci < p.cin; ci++) {
      rowTaps(&acc, row0 + ci * hw, ixBase, ci * khw + ky * p.kw, wrow);
    }
  }
  storeGroups(blk, acc);
}
