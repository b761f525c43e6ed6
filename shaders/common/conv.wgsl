// Shared by every convolution kernel (NCHW, float32): one uniform struct and the geometry
// helpers. Not a kernel: prepended by withConv (src/gpu/kernels/convCommon.ts), whose
// convUniforms fills the geometry from the shape and sets the fields a kernel does not
// read to zero.

struct Params {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, kh: u32, kw: u32, stride: u32,
  pad: u32, ho: u32, wo: u32, accumulate: u32,
  // The GEMM view: M rows, N columns, K reduction; split-K: K values per z slice.
  M: u32, N: u32, K: u32, chunk: u32,
  // An input-gradient stride phase: first tap (ry, rx), tap counts, first dX pixel, pixel
  // counts, and the dY coordinate of its pixel (0, 0) at tap (0, 0): (iy0 + pad - ry) / stride.
  ry: u32, rx: u32, nky: u32, nkx: u32,
  iy0: u32, ix0: u32, hp: u32, wp: u32,
  oyBase: u32, oxBase: u32,
  // Direct kernels: 4-channel blocks, pixel blocks per row, invocations.
  chb: u32, pxb: u32, n: u32,
  // Input gradients with the BatchNorm-sums epilogue (convGradStoreBnStats.wgsl): partial
  // chunks per channel (over all stride phases of the GEMM tiles), and this dispatch's first.
  chunks: u32, chunkBase: u32,
  // The direct filter gradient (conv2dBackwardFilterDirect.wgsl): input-channel blocks and
  // tap-row blocks per 4-channel output block.
  cib: u32, kyb: u32,
}

@group(0) @binding(3) var<uniform> p: Params;

// First input row (or column) of the window of output row (column) o; negative in the padding.
fn windowStart(o: u32) -> i32 { return i32(o * p.stride) - i32(p.pad); }

fn inImage(iy: i32, ix: i32) -> bool { return iy >= 0 && ix >= 0 && iy < i32(p.h) && ix < i32(p.w); }

// A direct kernel's invocation t: image b, first channel c0 of its 4-channel block (of
// p.chb), row, and first pixel x0 of its block of `px` pixels (of p.pxb per row; rows per
// image). Pixel blocks fastest, so neighbouring invocations read neighbouring pixels.
struct Block { b: u32, c0: u32, row: u32, x0: u32 }

fn blockOf(t: u32, rows: u32, px: u32) -> Block {
  var r = t / p.pxb;
  let row = r % rows;
  r = r / rows;
  return Block(r / p.chb, (r % p.chb) * 4u, row, (t % p.pxb) * px);
}

// Offsets (x stride) of rows c0..c0+3 of a count-row operand. Rows past the last read the
// last one (in bounds); their sums are never stored.
fn clampedRows(c0: u32, count: u32, stride: u32) -> vec4<u32> {
  return min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(count - 1u)) * stride;
}
