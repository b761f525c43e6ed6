// Max pooling forward over NCHW planes: one invocation per output element scans its k x k
// window (padding never wins, as in PyTorch) and writes the maximum and, for backward, the
// plane-local index (iy * w + ix) of the first maximum in scan order.

// n = n*c*ho*wo invocations, one per output element (common/perIndex.wgsl).
struct Params { n: u32, h: u32, w: u32, ho: u32, wo: u32, k: u32, stride: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> argmax: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

fn item(o: u32) {
  let per = p.ho * p.wo;
  let plane = o / per;
  let oy = (o % per) / p.wo;
  let ox = o % p.wo;
  let base = plane * p.h * p.w;
  var best = 0.0;
  var at = 0xffffffffu;
  for (var ky = 0u; ky < p.k; ky++) {
    let iy = i32(oy * p.stride + ky) - i32(p.pad);
    if (iy < 0 || iy >= i32(p.h)) { continue; }
    for (var kx = 0u; kx < p.k; kx++) {
      let ix = i32(ox * p.stride + kx) - i32(p.pad);
      if (ix < 0 || ix >= i32(p.w)) { continue; }
      let idx = u32(iy) * p.w + u32(ix);
      let v = x[base + idx];
      if (at == 0xffffffffu || v > best) { best = v; at = idx; }
    }
  }
  y[o] = best;
  argmax[o] = at;
}
