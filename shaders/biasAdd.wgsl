// Per-channel bias, element-wise: y[n, c, s] = x[n, c, s] + bias[c] (hw = 1 for a
// linear layer's [n, c] output). y may not alias x (bound as read vs read_write).
override WG: u32 = 256;

struct Params { total: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  y[i] = x[i] + bias[(i / p.hw) % p.c];
}
