// out[i] = sum_s partials[s*length + i] (plus out[i] when accumulating): the second pass of
// a split-K GEMM. One invocation per output; each step of its loop is coalesced across i.
override WG: u32 = 256;

struct Params { length: u32, splits: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.length) { return; }
  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) { sum += partials[s * p.length + i]; }
  if (p.accumulate != 0u) { sum += out[i]; }
  out[i] = sum;
}
