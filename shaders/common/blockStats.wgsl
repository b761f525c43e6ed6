// (count, mean, M2) of the first `valid` of 4 values: the per-invocation partial the conv
// stats epilogues (convStoreStats.wgsl, gemmStoreStats.wgsl) write for
// batchNormStatsFinalize; (0, 0, 0) when none is valid. Mean first, then squared
// deviations, so M2 is free of cancellation.
fn blockStats(v: vec4<f32>, valid: u32) -> vec3<f32> {
  if (valid == 0u) { return vec3<f32>(0.0); }
  var s = 0.0;
  for (var j = 0u; j < valid; j++) { s += v[j]; }
  let mean = s / f32(valid);
  var m2 = 0.0;
  for (var j = 0u; j < valid; j++) {
    let d = v[j] - mean;
    m2 += d * d;
  }
  return vec3<f32>(f32(valid), mean, m2);
}
