// Global average pooling backward, element-wise: dx[row*hw + s] = dy[row] / hw.
override WG: u32 = 256;

struct Params { total: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  dx[i] = dy[i / p.hw] / f32(p.hw);
}
