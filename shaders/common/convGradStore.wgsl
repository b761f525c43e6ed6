// The plain epilogue of the input-gradient convs (conv2dBackwardInput.wgsl and
// conv2dBackwardInputDirect.wgsl, which declare dx and p): dx[e] = v + gradTerms(e), or
// dx[e] += ... with p.accumulate, where the generated gradTerms adds other gradient terms
// (0 when there are none). No partial sums (see convGradStoreBnStats.wgsl).

fn storeGrad(e: u32, ch: u32, v: f32) -> vec2<f32> {
  let g = v + gradTerms(e);
  if (p.accumulate != 0u) { dx[e] += g; } else { dx[e] = g; }
  return vec2<f32>(0.0);
}

fn storePartial(ch: u32, k: u32, s: vec2<f32>) {}
