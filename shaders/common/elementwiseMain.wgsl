// Entry point of every element-wise kernel: out[i] = element(i), or out[i] += element(i)
// when p.accumulate, for i < p.n on a grid folded past 65535 workgroups. `element` is
// the one-line alias src/gpu/kernels/elementwise.ts appends for the chosen function.

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.n) { return; }
  let v = element(i);
  if (p.accumulate != 0u) { out[i] += v; } else { out[i] = v; }
}
