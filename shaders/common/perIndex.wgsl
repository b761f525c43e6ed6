// Entry point of the 1-D kernels: invocation i, on a grid folded past 65535 workgroups
// (grid1d in src/gpu/kernels/common.ts), runs the kernel's `fn item(i: u32)` for every
// i < p.n. Not a kernel: appended by withPerIndex (src/gpu/kernels/common.ts).
override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i < p.n) { item(i); }
}
