// Conv2d input gradient (NCHW), direct and barrier-free, one dispatch per stride phase as in
// conv2dBackwardInput.wgsl: phase (ry, rx) covers the dX pixels iy = iy0 + s*py, ix = ix0 + s*px
// and only its nky x nkx taps ky = ry + s*a, kx = rx + s*c, for which oy = oyBase + py - a and
// ox = oxBase + px - c exactly (no wasted gather). Each invocation (common/perIndex.wgsl) owns
// 4 input channels x DIRECT_PX adjacent phase pixels of one row, whose dY reads along a row
// are adjacent too: the generated `rowTaps` (src/gpu/kernels/convRowTaps.ts, specialised to
// the phase's nkx and the stride) loads each dY row segment once and applies its nkx taps.
// No workgroup memory and no barriers. Each dX element has one owner, so `accumulate`
// (dX += ...) is safe. Blocks: p.chb = ceil(cin/4) channel blocks, p.pxb =
// ceil(wp/DIRECT_PX) per phase row. Each group of 4 pixels is written by storeGrad /
// storePartial: common/convGradStore.wgsl (dX only) or, when a train-mode BatchNorm's
// backward reads dX, common/convGradStoreBnStats.wgsl (dX and that BatchNorm's per-channel
// partial sums over the group, chunk k of this phase).

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// dy[row + ox], zero outside dY; branch-free.
fn load(row: u32, ox: i32) -> f32 {
  return select(0.0, dy[row + u32(clamp(ox, 0, i32(p.wo) - 1))], ox >= 0 && ox < i32(p.wo));
}

fn item(t: u32) {
  let blk = blockOf(t, p.hp, DIRECT_PX);
  let khw = p.kh * p.kw;
  let wcol = clampedRows(blk.c0, p.cin, khw);
  let oy0 = i32(p.oyBase + blk.row);
  let ox0 = i32(p.oxBase + blk.x0);

  var acc: Acc;
  for (var co = 0u; co < p.cout; co++) {
    let plane = (blk.b * p.cout + co) * p.ho;
    let wco = co * p.cin * khw + p.ry * p.kw + p.rx;
    for (var a = 0u; a < p.nky; a++) {
      let oy = oy0 - i32(a);
      if (oy < 0 || oy >= i32(p.ho)) { continue; }
      rowTaps(&acc, (plane + u32(oy)) * p.wo, ox0, wco + p.stride * a * p.kw, wcol);
    }
  }
  storeGroups(blk, acc);
}

// Chunk k of a group: one per 4 pixels of a phase row.
fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>) {
  let x0 = blk.x0 + dx0;
  if (x0 >= p.wp) { return; }
  let hw = p.h * p.w;
  let iy = p.iy0 + p.stride * blk.row;
  let k = (blk.b * p.hp + blk.row) * ((p.wp + 3u) / 4u) + x0 / 4u;
  for (var i = 0u; i < 4u; i++) {
    let ci = blk.c0 + i;
    if (ci >= p.cin) { break; }
    let at = (blk.b * p.cin + ci) * hw + iy * p.w + p.ix0;
    var sums = vec2<f32>(0.0);
    for (var j = 0u; j < 4u; j++) {
      let px = x0 + j;
      if (px >= p.wp) { break; }
      sums += storeGrad(at + p.stride * px, ci, a[i][j]);
    }
    storePartial(ci, k, sums);
  }
}
