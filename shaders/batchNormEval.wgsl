// Batch-norm eval forward, element-wise with the running statistics:
// y = gamma*(x - runningMean)/sqrt(runningVar + eps) + beta. Nothing is updated.
override WG: u32 = 256;

struct Params { total: u32, c: u32, hw: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read> runningMean: array<f32>;
@group(0) @binding(4) var<storage, read> runningVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  let ch = (i / p.hw) % p.c;
  y[i] = gamma[ch] * (x[i] - runningMean[ch]) / sqrt(runningVar[ch] + p.eps) + beta[ch];
}
