// Entry point of the kernels with one workgroup per row (of logits, planes, segments,
// channels): rows folded into y past 65535 workgroups (grid1d(rows, 1) in
// src/gpu/kernels/common.ts); the WG invocations of row's workgroup run the kernel's
// fn rowItem(row: u32, t: u32) for row < p.n, t = local_invocation_index. The test is
// uniform (workgroup id, uniform), so rowItem may use barriers. Not a kernel: appended by
// withPerRow (src/gpu/kernels/common.ts).
override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = workgroupIndex(wid, nwg);
  if (row < p.n) { rowItem(row, t); }
}
