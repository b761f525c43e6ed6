// The epilogue of conv2dForwardDirect.wgsl when a train-mode BatchNorm reads y: writes the
// block like convStore.wgsl and, per channel, the (count, mean, M2) of the block's valid
// pixels into partials[(co*chunks + k)*3 ..], k = (b*ho + oy)*pxb + ox0/4 the block's
// index and chunks = batch*ho*pxb: the layout batchNormStatsFinalize merges, so the
// separate statistics pass over y is not needed (blockStats.wgsl).
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

fn storeBlock(b: u32, co0: u32, oy: u32, ox0: u32, acc: array<vec4<f32>, 4>) {
  let hwo = p.ho * p.wo;
  let valid = min(4u, p.wo - ox0);
  let chunks = p.batch * p.ho * p.pxb;
  let k = (b * p.ho + oy) * p.pxb + ox0 / 4u;
  for (var i = 0u; i < 4u; i++) {
    let co = co0 + i;
    if (co >= p.cout) { break; }
    let at = (b * p.cout + co) * hwo + oy * p.wo + ox0;
    for (var j = 0u; j < valid; j++) { y[at + j] = acc[i][j]; }
    let st = blockStats(acc[i], valid);
    let o = (co * chunks + k) * 3u;
    partials[o] = st.x;
    partials[o + 1u] = st.y;
    partials[o + 2u] = st.z;
  }
}
