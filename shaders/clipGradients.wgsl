// Gradient-norm clipping in place: g *= min(1, maxNorm / (|g| + 1e-6)), where |g|^2 was
// reduced into stats[normIndex] earlier in the same step (no CPU readback).
override WG: u32 = 256;

struct Params { n: u32, normIndex: u32, maxNorm: f32 }

@group(0) @binding(0) var<storage, read> stats: array<f32>;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.n) { return; }
  let norm = sqrt(stats[p.normIndex]);
  g[i] = g[i] * min(1.0, p.maxNorm / (norm + 1e-6));
}
