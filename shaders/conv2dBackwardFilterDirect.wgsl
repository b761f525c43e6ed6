// Filter gradient of an NCHW 2-D convolution (common/convFilterGrad.wgsl), direct and
// barrier-free: each invocation owns 4 output channels x 4 adjacent columns c (their x
// offsets decoded once) over the z-th chunk of pixels: 4 dY and 4 x loads feed 16 FMAs, with
// no workgroup memory and no barriers. p.pxb = ceil(N/4) column blocks, p.n invocations per
// chunk (grid z = chunks). Not the input gradient.

// x at column col for the pixel whose window starts at (iy0, ix0) in image offset xb.
fn tap(col: vec3<i32>, xb: i32, iy0: i32, ix0: i32) -> f32 {
  if (!inImage(iy0 + col.y, ix0 + col.z)) { return 0.0; }
  return x[u32(xb + col.x + (iy0 * i32(p.w) + ix0))];
}

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flatIndex(gid, nwg, WG);
  if (t >= p.n) { return; }
  // Column blocks fastest: neighbouring invocations share their dY reads.
  let c0 = (t % p.pxb) * 4u;
  let m0 = (t / p.pxb) * 4u;
  let cols = array<vec3<i32>, 4>(filterColumn(c0), filterColumn(c0 + 1u), filterColumn(c0 + 2u), filterColumn(c0 + 3u));
  let howo = p.ho * p.wo;
  let rows = clampedRows(m0, p.M, howo);
  let chw = p.cin * p.h * p.w;
  let begin = gid.z * p.chunk;
  let end = min(p.K, begin + p.chunk);

  // The pixel (b, oy, ox) of j, advanced with carries instead of divisions.
  var b = begin / howo;
  var oy = (begin % howo) / p.wo;
  var ox = begin % p.wo;
  var acc: array<vec4<f32>, 4>; // acc[row][column]
  for (var j = begin; j < end; j++) {
    let d = b * p.M * howo + oy * p.wo + ox;
    let xb = i32(b * chw);
    let iy0 = windowStart(oy);
    let ix0 = windowStart(ox);
    let v = vec4<f32>(tap(cols[0], xb, iy0, ix0), tap(cols[1], xb, iy0, ix0), tap(cols[2], xb, iy0, ix0), tap(cols[3], xb, iy0, ix0));
    fma4(&acc, vec4<f32>(dy[d + rows.x], dy[d + rows.y], dy[d + rows.z], dy[d + rows.w]), v);
    ox++;
    if (ox == p.wo) { ox = 0u; oy++; if (oy == p.ho) { oy = 0u; b++; } }
  }

  for (var i = 0u; i < 4u; i++) {
    for (var c = 0u; c < 4u; c++) { storeFilterGrad(gid.z, m0 + i, c0 + c, acc[i][c]); }
  }
}
