// Linear invocation index for 1-D work laid out on a 2-D grid of workgroups, so that
// more than 65535 workgroups' worth of elements can be dispatched. WG is the x size.
fn flatIndex(gid: vec3<u32>, nwg: vec3<u32>, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

// Linear workgroup index on such a grid (one workgroup per row, segment, ...). The test
// against the item count is uniform, so a kernel may return before its barriers.
fn workgroupIndex(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}
