// The epilogue of conv2dForward.wgsl when a train-mode BatchNorm reads y: writes the tile
// like gemmStore.wgsl and, per channel m, the (count, mean, M2) of the invocation's valid
// pixels into partials[(m*chunks + k)*3 ..], with k = (n0/TN)*TN/4 + lid.x and chunks =
// ceil(N/TN)*TN/4: the layout batchNormStatsFinalize merges (a chunk without pixels is
// (0, 0, 0)), so the separate statistics pass over y is not needed (blockStats.wgsl).
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

fn storeTile(n0: u32, m0: u32, lid: vec3<u32>, acc: array<vec4<f32>, 4>) {
  let hwo = p.ho * p.wo;
  // Columns grow with j, so the valid ones are a prefix.
  var base: array<u32, 4>;
  var valid = 0u;
  for (var j = 0u; j < 4u; j++) {
    let n = n0 + lid.x + j * (TN / 4u);
    if (n < p.N) { valid++; }
    base[j] = (n / hwo) * p.M * hwo + n % hwo;
  }
  let chunks = ((p.N + TN - 1u) / TN) * (TN / 4u);
  let k = (n0 / TN) * (TN / 4u) + lid.x;
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + lid.y + i * (TM / 4u);
    if (m >= p.M) { continue; }
    for (var j = 0u; j < valid; j++) { y[base[j] + m * hwo] = acc[i][j]; }
    let st = blockStats(acc[i], valid);
    let o = (m * chunks + k) * 3u;
    partials[o] = st.x;
    partials[o + 1u] = st.y;
    partials[o + 2u] = st.z;
  }
}
