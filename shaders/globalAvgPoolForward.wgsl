// Global average pooling forward: y[row] = mean of x's row of hw values, row = n*C + c.
// One workgroup per row (rows folded into y past 65535), threads stride the row for
// coalesced loads, then a tree sum in workgroup memory.
override WG: u32 = 64;

struct Params { rows: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: f32, b: f32) -> f32 { return a + b; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = workgroupIndex(wid, nwg);
  if (row >= p.rows) { return; }
  let base = row * p.hw;
  var s = 0.0;
  for (var j = t; j < p.hw; j += WG) { s += x[base + j]; }
  let total = treeReduce(t, s);
  if (t == 0u) { y[row] = total / f32(p.hw); }
}
