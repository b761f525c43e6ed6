// Global average pooling forward, barrier-free: y[row] = mean of x's row of hw values, row =
// n*C + c, one invocation per row summing its values in order (common/perIndex.wgsl). No
// workgroup memory and no barriers: software rasterisers (SwiftShader) pay ~0.5 ms per
// workgroup for the tree of globalAvgPoolForward.wgsl, which suits real GPUs and long rows;
// the tuner picks per adapter and shape.
// n: rows.
struct Params { n: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

fn item(row: u32) {
  let base = row * p.hw;
  var s = 0.0;
  for (var j = 0u; j < p.hw; j++) { s += x[base + j]; }
  y[row] = s / f32(p.hw);
}
