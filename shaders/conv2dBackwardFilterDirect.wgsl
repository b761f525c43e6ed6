// Filter gradient of an NCHW 2-D convolution, direct and barrier-free:
// dw[co, c] = sum over pixels j = (b, oy, ox) of dy[b, co, oy, ox] * x[b, ci, oy*s-pad+ky, ox*s-pad+kx]
// with c = (ci, ky, kx). Each invocation owns 4 output channels x 4 adjacent columns c (their x
// offsets decoded once) over the z-th chunk of pixels: 4 dY and 4 x loads feed 16 FMAs, with
// no workgroup memory and no barriers. Writes out[z*M*N + co*N + c]: a partial for
// splitKReduce, or dw itself when there is one chunk. Not the input gradient.

override WG: u32 = 64;

struct Params {
  m: u32, n: u32, k: u32, chunk: u32,
  cin: u32, h: u32, w: u32, kh: u32,
  kw: u32, ho: u32, wo: u32, stride: u32,
  pad: u32, accumulate: u32,
  // Row blocks ceil(m/4), column blocks ceil(n/4), invocations per chunk.
  mb: u32, nb: u32, total: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// Column c = (ci, ky, kx) as (offset of x[0, ci, ky, kx] from x[0, 0, 0, 0], ky, kx); columns
// past n get a ky that fails every bounds test, so they read zero.
fn column(c: u32) -> vec3<i32> {
  let khw = p.kh * p.kw;
  let ci = c / khw;
  let ky = (c % khw) / p.kw;
  let kx = c % p.kw;
  if (c >= p.n) { return vec3<i32>(0, 0x40000000, 0); }
  return vec3<i32>(i32((ci * p.h + ky) * p.w + kx), i32(ky), i32(kx));
}

// x at column col for the pixel whose window starts at (iy0, ix0) in image offset xb.
fn tap(col: vec3<i32>, xb: i32, iy0: i32, ix0: i32) -> f32 {
  let iy = iy0 + col.y;
  let ix = ix0 + col.z;
  if (iy < 0 || ix < 0 || iy >= i32(p.h) || ix >= i32(p.w)) { return 0.0; }
  return x[u32(xb + col.x + (iy0 * i32(p.w) + ix0))];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (t >= p.total) { return; }
  // Column blocks fastest: neighbouring invocations share their dY reads.
  let c0 = (t % p.nb) * 4u;
  let m0 = (t / p.nb) * 4u;
  let cols = array<vec3<i32>, 4>(column(c0), column(c0 + 1u), column(c0 + 2u), column(c0 + 3u));
  let howo = p.ho * p.wo;
  let last = p.m - 1u;
  // Rows past m read the last one (in bounds) and are never stored.
  let r0 = min(m0, last) * howo;
  let r1 = min(m0 + 1u, last) * howo;
  let r2 = min(m0 + 2u, last) * howo;
  let r3 = min(m0 + 3u, last) * howo;
  let chw = p.cin * p.h * p.w;
  let begin = gid.z * p.chunk;
  let end = min(p.k, begin + p.chunk);

  // The pixel (b, oy, ox) of j, advanced with carries instead of divisions.
  var b = begin / howo;
  var oy = (begin % howo) / p.wo;
  var ox = begin % p.wo;
  var acc: array<vec4<f32>, 4>; // acc[row][column]
  for (var j = begin; j < end; j++) {
    let d = b * p.m * howo + oy * p.wo + ox;
    let xb = i32(b * chw);
    let iy0 = i32(oy * p.stride) - i32(p.pad);
    let ix0 = i32(ox * p.stride) - i32(p.pad);
    let v = vec4<f32>(tap(cols[0], xb, iy0, ix0), tap(cols[1], xb, iy0, ix0), tap(cols[2], xb, iy0, ix0), tap(cols[3], xb, iy0, ix0));
    acc[0] = fma(vec4<f32>(dy[d + r0]), v, acc[0]);
    acc[1] = fma(vec4<f32>(dy[d + r1]), v, acc[1]);
    acc[2] = fma(vec4<f32>(dy[d + r2]), v, acc[2]);
    acc[3] = fma(vec4<f32>(dy[d + r3]), v, acc[3]);
    ox++;
    if (ox == p.wo) { ox = 0u; oy++; if (oy == p.ho) { oy = 0u; b++; } }
  }

  let base = gid.z * p.m * p.n;
  for (var i = 0u; i < 4u; i++) {
    let row = m0 + i;
    if (row >= p.m) { break; }
    for (var c = 0u; c < 4u; c++) {
      let col = c0 + c;
      if (col >= p.n) { break; }
      let idx = base + row * p.n + col;
      var v = acc[i][c];
      if (p.accumulate != 0u) { v += out[idx]; }
      out[idx] = v;
    }
  }
}
