// Batch-norm backward, pass 3, element-wise: dx = A*(dy - B - (x - mean)*K) with the
// per-channel coef = (A, B, K, mean) of batchNormBackwardFinalize. dx is overwritten.
override WG: u32 = 256;

struct Params { total: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> coef: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  let k = coef[(i / p.hw) % p.c];
  dx[i] = k.x * (dy[i] - k.y - (x[i] - k.w) * k.z);
}
