// Global average pooling forward: y[row] = mean of x's row of hw values, row = n*C + c.
// One workgroup per row (common/perRow.wgsl), threads stride the row for
// coalesced loads, then a tree sum in workgroup memory.
// n: rows.
struct Params { n: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: f32, b: f32) -> f32 { return a + b; }

fn rowItem(row: u32, t: u32) {
  let base = row * p.hw;
  var s = 0.0;
  for (var j = t; j < p.hw; j += WG) { s += x[base + j]; }
  let total = treeReduce(t, s);
  if (t == 0u) { y[row] = total / f32(p.hw); }
}
