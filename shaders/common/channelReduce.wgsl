// Helpers for per-channel reductions over NCHW tensors (batch-norm statistics and
// gradients, bias gradients). Not a kernel: prepended by src/gpu/kernels/channelReduce.ts.

// Address of the j-th value of channel ch, counting batch-major then spatially, so that
// consecutive j are consecutive addresses inside one image's plane (coalesced loads).
fn nchwChannelIndex(j: u32, ch: u32, c: u32, hw: u32) -> u32 {
  let ni = j / hw;
  return (ni * c + ch) * hw + (j - ni * hw);
}

// Chan et al. merge of two (count, mean, M2) summaries; exact in real arithmetic and free
// of the E[x^2] - E[x]^2 cancellation when |mean| >> std.
fn chanMerge(a: vec3<f32>, b: vec3<f32>) -> vec3<f32> {
  if (b.x == 0.0) { return a; }
  if (a.x == 0.0) { return b; }
  let n = a.x + b.x;
  let d = b.y - a.y;
  let f = b.x / n;
  return vec3<f32>(n, a.y + d * f, a.z + b.z + d * d * a.x * f);
}
