// Batch-norm training forward, element-wise: y = gamma*(x - mean)*invStd + beta with the
// batch statistics of batchNormStatsFinalize. x - mean first: folding into scale*x + shift
// would lose digits when |mean| >> std.
override WG: u32 = 256;

struct Params { total: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.total) { return; }
  let ch = (i / p.hw) % p.c;
  y[i] = gamma[ch] * (x[i] - mean[ch]) * invStd[ch] + beta[ch];
}
