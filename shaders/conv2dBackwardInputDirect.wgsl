// Conv2d input gradient (NCHW), direct and barrier-free, one dispatch per stride phase as in
// conv2dBackwardInput.wgsl: phase (ry, rx) covers the dX pixels iy = iy0 + s*py, ix = ix0 + s*px
// and only its nky x nkx taps ky = ry + s*a, kx = rx + s*c, for which oy = oyBase + py - a and
// ox = oxBase + px - c exactly (no wasted gather). Each invocation (common/perIndex.wgsl) owns
// 4 input channels x 4 adjacent phase pixels of one row, so its 4 dY reads per tap are
// adjacent too: 4 weight and 4 dY loads feed 16 FMAs, with no workgroup memory and no
// barriers. Each dX element has one owner, so `accumulate` (dX += ...) is safe. Blocks:
// p.chb = ceil(cin/4) channel blocks, p.pxb = ceil(wp/4) per phase row.

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// dy[row + ox], zero outside dY.
fn grad(row: u32, ox: i32) -> f32 {
  if (ox < 0 || ox >= i32(p.wo)) { return 0.0; }
  return dy[row + u32(ox)];
}

fn item(t: u32) {
  let blk = blockOf(t, p.hp);
  let khw = p.kh * p.kw;
  let s = p.stride;
  let wcol = clampedRows(blk.c0, p.cin, khw);
  let oy0 = i32(p.oyBase + blk.row);
  let ox0 = i32(p.oxBase + blk.x0);

  var acc: array<vec4<f32>, 4>; // acc[channel][pixel]
  for (var co = 0u; co < p.cout; co++) {
    let plane = (blk.b * p.cout + co) * p.ho;
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
        fma4(&acc, vec4<f32>(wt[k + wcol.x], wt[k + wcol.y], wt[k + wcol.z], wt[k + wcol.w]), v);
      }
    }
  }

  let hw = p.h * p.w;
  let iy = p.iy0 + s * blk.row;
  for (var i = 0u; i < 4u; i++) {
    let ci = blk.c0 + i;
    if (ci >= p.cin) { break; }
    let at = (blk.b * p.cin + ci) * hw + iy * p.w + p.ix0;
    for (var j = 0u; j < 4u; j++) {
      let px = blk.x0 + j;
      if (px >= p.wp) { break; }
      let e = at + s * px;
      if (p.accumulate != 0u) { dx[e] += acc[i][j]; } else { dx[e] = acc[i][j]; }
    }
  }
}
