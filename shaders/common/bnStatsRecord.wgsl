// What train-mode BatchNorm keeps per channel, from the chunk summaries (count, mean, M2)
// of its input: the record coef[ch] = (mean, gamma*invStd, beta, invStd), which the apply
// and the backward read (invStd = 1/sqrt(biased var + eps)), and the running stats updated
// PyTorch-style (unbiased variance). Shared by batchNormStatsFinalize (a pass of
// its own) and batchNormStatsApply (the same, then the apply, in one dispatch). The
// kernel declares `struct Params` with chunks, m, eps and momentum. Not a kernel:
// prepended by src/gpu/kernels/batchNormStatsFinalize.ts.

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(2) var<storage, read_write> runningVar: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;
@group(0) @binding(4) var<storage, read> gamma: array<f32>;
@group(0) @binding(5) var<storage, read> beta: array<f32>;
@group(0) @binding(6) var<storage, read_write> coef: array<vec4<f32>>;

alias TreeT = vec3<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return chanMerge(a, b); }

fn loadPartial(ch: u32, k: u32) -> TreeT {
  let o = (ch * p.chunks + k) * 3u;
  return vec3<f32>(partials[o], partials[o + 1u], partials[o + 2u]);
}

// The apply record of channel ch from its merged summary.
fn channelRecord(ch: u32, total: TreeT) -> vec4<f32> {
  // sqrt then divide rather than inverseSqrt: the latter may be only ~2 ulp accurate.
  let invStd = 1.0 / sqrt(total.z / f32(p.m) + p.eps);
  return vec4<f32>(total.y, gamma[ch] * invStd, beta[ch], invStd);
}

// The per-channel stores, by one invocation per channel.
fn channelWrite(ch: u32, total: TreeT, rec: vec4<f32>) {
  coef[ch] = rec;
  let keep = 1.0 - p.momentum;
  runningMean[ch] = keep * runningMean[ch] + p.momentum * rec.x;
  runningVar[ch] = keep * runningVar[ch] + p.momentum * (total.z / (f32(p.m) - 1.0));
}
