// Batch-norm statistics, pass 2: one workgroup per channel merges the chunk summaries of
// batchNormStats (or of a conv epilogue), writes the saved mean and 1/sqrt(biased var +
// eps) for the backward pass, the apply coefficients coef[ch] = (mean, gamma*invStd,
// beta, invStd), and updates the running stats PyTorch-style (unbiased variance).
override WG: u32 = 64;

struct Params { chunks: u32, m: u32, eps: f32, momentum: f32 }

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

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let ch = wid.x;
  var mine = vec3<f32>(0.0);
  for (var k = t; k < p.chunks; k += WG) {
    let o = (ch * p.chunks + k) * 3u;
    mine = chanMerge(mine, vec3<f32>(partials[o], partials[o + 1u], partials[o + 2u]));
  }
  let total = treeReduce(t, mine);
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
