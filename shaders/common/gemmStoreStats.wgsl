// The epilogue of conv2dForward.wgsl when a train-mode BatchNorm reads y: writes row m of
// the invocation's block like gemmStore.wgsl and the (count, mean, M2) of its valid pixels
// (blockStats.wgsl) into partials[(m*chunks + k)*3 ..], chunks = ceil(N/TN)*TN/4: the
// layout batchNormStatsFinalize merges (a block without pixels is (0, 0, 0)), so the
// separate statistics pass over y is not needed.
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

fn gemmStoreRow(m: u32, k: u32, at: array<u32, 4>, valid: u32, v: vec4<f32>) {
  for (var j = 0u; j < valid; j++) { y[at[j]] = v[j]; }
  let st = blockStats(v, valid);
  let o = (m * ((p.N + TN - 1u) / TN) * (TN / 4u) + k) * 3u;
  partials[o] = st.x;
  partials[o + 1u] = st.y;
  partials[o + 2u] = st.z;
}
