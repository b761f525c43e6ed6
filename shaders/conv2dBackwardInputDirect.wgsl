// Conv2d input gradient (NCHW), direct and barrier-free, in one dispatch at any stride: each
// invocation (common/perIndex.wgsl) owns 4 input channels x DIRECT_PX adjacent dX pixels of
// one row, its first pixel x0 a multiple of the stride. dX[iy, x0 + j] gathers dY[oy, ox]
// * w[ky, kx] over the taps with iy + pad - ky = oy * stride and x0 + j + pad - kx =
// ox * stride; which (pixel, tap) pairs exist along x is fixed by the geometry, so the
// generated `rowTaps` (src/gpu/kernels/convRowTaps.ts, inputGradRowTaps: kernel width,
// stride and padding) loads each dY row segment once and adds exactly those products (no
// stride phases, no wasted gather). No workgroup memory and no barriers. Each dX element has
// one owner, so `accumulate` (dX += ...) is safe. Blocks: p.chb = ceil(cin/4) channel
// blocks, p.pxb = ceil(w/DIRECT_PX) per row. Each group of 4 pixels is written by storeGrad /
// storePartial: common/convGradStore.wgsl (dX only) or, when a train-mode BatchNorm's
// backward reads dX, common/convGradStoreBnStats.wgsl (dX and that BatchNorm's per-channel
// partial sums over the group, chunk k).

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// dy[row + ox], zero outside dY; branch-free.
fn load(row: u32, ox: i32) -> f32 {
  return select(0.0, dy[row + u32(clamp(ox, 0, i32(p.wo) - 1))], ox >= 0 && ox < i32(p.wo));
}

fn item(t: u32) {
  let blk = blockOf(t, p.h, DIRECT_PX);
  let khw = p.kh * p.kw;
  let wcol = clampedRows(blk.c0, p.cin, khw);
  let s = i32(p.stride);
  let ox0 = i32(blk.x0) / s;

  var acc: Acc;
  // Tap rows outside: the divisions run once per tap row, not once per output channel.
  for (var ky = 0u; ky < p.kh; ky++) {
    let num = i32(blk.row) + i32(p.pad) - i32(ky);
    if (num < 0 || num % s != 0 || num / s >= i32(p.ho)) { continue; }
    let hw = p.ho * p.wo;
    let row0 = blk.b * p.cout * hw + u32(num / s) * p.wo;
    let wstep = p.cin * khw;
    for (var co = 0u; co < p.cout; co++) {
      rowTaps(&acc, row0 + co * hw, ox0, co * wstep + ky * p.kw, wcol);
    }
  }
  storeGroups(blk, acc);
}

// A group of 4 pixels (a[pixel][channel]); chunk k of the group: one per 4 pixels of a row.
fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>) {
  let x0 = blk.x0 + dx0;
  if (x0 >= p.w) { return; }
  let valid = min(4u, p.w - x0);
  let k = (blk.b * p.h + blk.row) * ((p.w + 3u) / 4u) + x0 / 4u;
  for (var i = 0u; i < 4u; i++) {
    let ci = blk.c0 + i;
    if (ci >= p.cin) { break; }
    let e0 = ((blk.b * p.cin + ci) * p.h + blk.row) * p.w + x0;
    var sums = vec2<f32>(0.0);
    for (var j = 0u; j < valid; j++) { sums += storeGrad(e0 + j, ci, a[j][i]); }
    storePartial(ci, k, sums);
  }
}
