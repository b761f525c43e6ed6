// Batch-norm eval backward, element-wise: dx (+)= dy * gamma / sqrt(runningVar + eps).
// In eval mode the statistics are constants, so this is the whole input gradient and
// each example's dx depends on its own dy only (per-example Jacobians stay exact).
override WG: u32 = 256;

struct Params { total: u32, c: u32, hw: u32, eps: f32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> runningVar: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  let ch = (i / p.hw) % p.c;
  let v = dy[i] * gamma[ch] / sqrt(runningVar[ch] + p.eps);
  if (p.accumulate != 0u) { dx[i] += v; } else { dx[i] = v; }
}
