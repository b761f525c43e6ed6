// The epilogue of conv2dForwardDirect.wgsl when a train-mode BatchNorm reads y: writes one
// group of 4 pixels x 4 channels (a[pixel][channel]) like convStore.wgsl and, per channel, the (count, mean, M2)
// of the group's valid pixels into partials[(co*chunks + k)*3 ..], k = (b*ho + oy)*g + ox0/4
// the group's index, g = ceil(wo/4) groups per row and chunks = batch*ho*g: the layout
// batchNormStatsFinalize merges, so the separate statistics pass over y is not needed
// (blockStats.wgsl).
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>) {
  let ox0 = blk.x0 + dx0;
  if (ox0 >= p.wo) { return; }
  let valid = min(4u, p.wo - ox0);
  let hwo = p.ho * p.wo;
  let groups = (p.wo + 3u) / 4u;
  let chunks = p.batch * p.ho * groups;
  let k = (blk.b * p.ho + blk.row) * groups + ox0 / 4u;
  for (var i = 0u; i < 4u; i++) {
    let co = blk.c0 + i;
    if (co >= p.cout) { break; }
    let at = (blk.b * p.cout + co) * hwo + blk.row * p.wo + ox0;
    let v = vec4<f32>(a[0][i], a[1][i], a[2][i], a[3][i]);
    for (var j = 0u; j < valid; j++) { y[at + j] = v[j]; }
    let st = blockStats(v, valid);
    let o = (co * chunks + k) * 3u;
    partials[o] = st.x;
    partials[o + 1u] = st.y;
    partials[o + 2u] = st.z;
  }
}
