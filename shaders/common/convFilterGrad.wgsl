// Shared by the filter-gradient kernels (conv2dBackwardFilter, conv2dBackwardFilterDirect):
// dw[co, c] = sum over pixels j = (b, oy, ox) of dy[b, co, oy, ox] * x[b, ci, oy*s-pad+ky, ox*s-pad+kx],
// a GEMM with M = cout rows, N = cin*kh*kw columns c = (ci, ky, kx) and K = n*ho*wo, split
// over K into z slices of p.chunk pixels (the direct kernel: p.chunk whole output rows of
// p.K). Slice z writes out[z*M*N + co*N + c]: a partial
// for splitKReduce, or dw itself when there is one slice. Not a kernel: prepended with
// common/conv.wgsl by withConv (src/gpu/kernels/convCommon.ts).

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// Column c = (ci, ky, kx) as (offset of x[0, ci, ky, kx] from x[0, 0, 0, 0], ky, kx); columns
// past N get a ky that fails every bounds test, so they read zero (their sums are never stored).
fn filterColumn(c: u32) -> vec3<i32> {
  let khw = p.kh * p.kw;
  let ci = c / khw;
  let ky = (c % khw) / p.kw;
  let kx = c % p.kw;
  if (c >= p.N) { return vec3<i32>(0, 0x40000000, 0); }
  return vec3<i32>(i32((ci * p.h + ky) * p.w + kx), i32(ky), i32(kx));
}

// dw[row, col] of slice z, added to what is there when accumulating; rows past M and
// columns past N are skipped.
fn storeFilterGrad(z: u32, row: u32, col: u32, v: f32) {
  if (row >= p.M || col >= p.N) { return; }
  let idx = z * p.M * p.N + row * p.N + col;
  if (p.accumulate != 0u) { out[idx] = v + out[idx]; } else { out[idx] = v; }
}
