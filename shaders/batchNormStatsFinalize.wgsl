// Batch-norm statistics, pass 2: one workgroup per channel (common/chunkCombine.wgsl) merges the chunk summaries of
// batchNormStats (or of a conv epilogue), writes the saved mean and 1/sqrt(biased var +
// eps) for the backward pass, the apply coefficients coef[ch] = (mean, gamma*invStd,
// beta, invStd), and updates the running stats PyTorch-style (unbiased variance).
// n: channels.
struct Params { n: u32, chunks: u32, m: u32, eps: f32, momentum: f32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> savedMean: array<f32>;
@group(0) @binding(2) var<storage, read_write> savedInvStd: array<f32>;
@group(0) @binding(3) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runningVar: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;
@group(0) @binding(6) var<storage, read> gamma: array<f32>;
@group(0) @binding(7) var<storage, read> beta: array<f32>;
@group(0) @binding(8) var<storage, read_write> coef: array<vec4<f32>>;

alias TreeT = vec3<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return chanMerge(a, b); }

fn loadPartial(ch: u32, k: u32) -> TreeT {
  let o = (ch * p.chunks + k) * 3u;
  return vec3<f32>(partials[o], partials[o + 1u], partials[o + 2u]);
}

fn rowItem(ch: u32, t: u32) {
  let total = combineChunks(ch, t);
  if (t == 0u) {
    let m = f32(p.m);
    let mean = total.y;
    savedMean[ch] = mean;
    // sqrt then divide rather than inverseSqrt: the latter may be only ~2 ulp accurate.
    let invStd = 1.0 / sqrt(total.z / m + p.eps);
    savedInvStd[ch] = invStd;
    coef[ch] = vec4<f32>(mean, gamma[ch] * invStd, beta[ch], invStd);
    let keep = 1.0 - p.momentum;
    runningMean[ch] = keep * runningMean[ch] + p.momentum * mean;
    runningVar[ch] = keep * runningVar[ch] + p.momentum * (total.z / (m - 1.0));
  }
}
