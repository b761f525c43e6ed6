// Filter gradient of an NCHW 2-D convolution (common/convFilterGrad.wgsl), direct and
// barrier-free: the fixed helpers of a kernel whose entry point is generated per kernel
// geometry (src/gpu/kernels/conv2dBackwardFilterDirectGen.ts). Each invocation owns 4 output
// channels x CI input channels x KY rows of taps (all kw columns), over the z-th chunk of
// p.chunk whole output rows (b, oy) of the p.K = n*ho: per run of PX adjacent output pixels
// it loads 4 x PX dY values and, per input channel and tap row, the (PX-1)*stride+kw input
// values under the run once, into registers that every tap of the row reuses. No workgroup
// memory and no barriers. Blocks: p.cib input-channel blocks (fastest; neighbouring
// invocations read the same dY), p.kyb tap-row blocks, then output-channel blocks; p.n
// invocations per chunk (grid z = chunks).

// The invocation's block: first output channel, first input channel, first tap row.
struct FilterBlock { m0: u32, ci0: u32, ky0: u32 }

fn filterBlock(t: u32, ci: u32, ky: u32) -> FilterBlock {
  let r = t / p.cib;
  return FilterBlock((r / p.kyb) * 4u, (t % p.cib) * ci, (r % p.kyb) * ky);
}

// Offset of input channel ci's plane in an image; channels past the last read the last one
// (in bounds; their sums are never stored).
fn channelPlane(ci: u32) -> u32 { return min(ci, p.cin - 1u) * p.h * p.w; }

// Whether tap row ky (input row iy) contributes: a real tap on a row inside the image.
fn tapRow(iy: i32, ky: u32) -> bool { return ky < p.kh && iy >= 0 && iy < i32(p.h); }

// dY of the 4 output channels (offsets `rows`) at pixel offset o; zero for a pixel past the
// row's end (ok false).
fn dyAt(rows: vec4<u32>, o: u32, ok: bool) -> vec4<f32> {
  return select(vec4<f32>(0.0), vec4<f32>(dy[rows.x + o], dy[rows.y + o], dy[rows.z + o], dy[rows.w + o]), ok);
}

// Stores the 4 output channels' sums of column (ci, ky, kx) of slice z; a channel or tap
// past the last is skipped.
fn storeTap(z: u32, m0: u32, ci: u32, ky: u32, kx: u32, v: vec4<f32>) {
  if (ci >= p.cin || ky >= p.kh) { return; }
  let col = (ci * p.kh + ky) * p.kw + kx;
  storeFilterGrad(z, m0, col, v.x);
  storeFilterGrad(z, m0 + 1u, col, v.y);
  storeFilterGrad(z, m0 + 2u, col, v.z);
  storeFilterGrad(z, m0 + 3u, col, v.w);
}

