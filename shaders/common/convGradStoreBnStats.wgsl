// The epilogue of the input-gradient convs when the gradient they write is read by a
// train-mode BatchNorm's backward: writes dx like convGradStore.wgsl (with gradTerms) and, per channel,
// the sums that backward reduces, sum dy and sum dy*xhat over the invocation's pixels,
// into partials[(ch*chunks + chunkBase + k)*2 ..] (batchNormBackwardFinalize's layout), so
// no separate reduction pass reads dy. dy is the BatchNorm's incoming gradient as the
// generated `fn dyAt(i, hole)` computes it from dx's new value `hole` (e.g. a ReLU mask of
// it plus a residual term), its bindings numbered from 7; xhat = (xbn - mean) * invStd
// from the forward's coef record (mean, gamma*invStd, beta, invStd), as
// batchNormBackwardReduce.wgsl computes it.
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<storage, read> xbn: array<f32>;
@group(0) @binding(6) var<storage, read> bnCoef: array<vec4<f32>>;

fn storeGrad(e: u32, ch: u32, v: f32) -> vec2<f32> {
  var g = v + gradTerms(e);
  if (p.accumulate != 0u) { g += dx[e]; }
  dx[e] = g;
  let d = dyAt(e, g);
  let k = bnCoef[ch];
  return vec2<f32>(d, d * (xbn[e] - k.x) * k.w);
}

fn storePartial(ch: u32, k: u32, s: vec2<f32>) {
  let o = (ch * p.chunks + p.chunkBase + k) * 2u;
  partials[o] = s.x;
  partials[o + 1u] = s.y;
}
