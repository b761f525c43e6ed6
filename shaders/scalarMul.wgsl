// out (+)= a[0] * x element-wise, with `a` a learnable 1-element buffer (residual-branch
// scale). Serves the forward (y = a*x) and the input gradient (dx (+)= a*dy); the
// gradient of `a` itself is a dot product (reduce.wgsl). out must not alias x.
override WG: u32 = 256;

struct Params { n: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.n) { return; }
  let v = a[0] * x[i];
  if (p.accumulate != 0u) { out[i] += v; } else { out[i] = v; }
}
