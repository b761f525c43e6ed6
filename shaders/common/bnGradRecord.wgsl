// What the train-mode BatchNorm backward needs per channel, from the chunk partials
// (sum dy, sum dy*xhat): dbeta = sum dy and dgamma = sum dy*xhat (written, or added when
// p.accGamma), and the coefficients of dx = A*(dy - B - (x - mean)*K) as the record
// (A, B, K, mean) with A = gamma*invStd, B = mean(dy), K = invStd*mean(dy*xhat). Reads
// the forward's record fwd[ch] = (mean, gamma*invStd, beta, invStd), so A is the forward's
// own product. This batch's sums go to the record, never read back from dgamma (which may
// hold accumulated grads). Shared by batchNormBackwardFinalize (a pass of its own) and
// batchNormGradApply (the same, then dx, in one dispatch). The kernel declares
// `struct Params` with chunks, m and accGamma. Not a kernel: prepended by
// src/gpu/kernels/batchNormBackwardFinalize.ts.

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read> fwd: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

alias TreeT = vec2<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

fn loadPartial(ch: u32, k: u32) -> TreeT {
  let o = (ch * p.chunks + k) * 2u;
  return vec2<f32>(partials[o], partials[o + 1u]);
}

fn channelRecord(ch: u32, sums: TreeT) -> vec4<f32> {
  let m = f32(p.m);
  let f = fwd[ch];
  return vec4<f32>(f.y, sums.x / m, f.w * sums.y / m, f.x);
}

// The per-channel stores, by one invocation per channel.
fn channelWrite(ch: u32, sums: TreeT, rec: vec4<f32>) {
  if (p.accGamma != 0u) {
    dbeta[ch] += sums.x;
    dgamma[ch] += sums.y;
  } else {
    dbeta[ch] = sums.x;
    dgamma[ch] = sums.y;
  }
}
