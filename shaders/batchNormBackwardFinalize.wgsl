// Batch-norm backward, pass 2: one workgroup per channel (common/chunkCombine.wgsl) adds up the chunk partials into
// dbeta = sum dy and dgamma = sum dy*xhat (written, or added when accumulating), and packs
// the per-channel coefficients of dx = A*(dy - B - (x - mean)*K) into coef[ch] =
// (A, B, K, mean) with A = gamma*invStd, B = mean(dy), K = invStd*mean(dy*xhat). This
// batch's sums go to coef, not read back from dgamma, which may hold accumulated grads.
// n: channels.
struct Params { n: u32, chunks: u32, m: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> mean: array<f32>;
@group(0) @binding(3) var<storage, read> invStd: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(5) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(6) var<storage, read_write> coef: array<vec4<f32>>;
@group(0) @binding(7) var<uniform> p: Params;

alias TreeT = vec2<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

fn loadPartial(ch: u32, k: u32) -> TreeT {
  let o = (ch * p.chunks + k) * 2u;
  return vec2<f32>(partials[o], partials[o + 1u]);
}

fn rowItem(ch: u32, t: u32) {
  let sums = combineChunks(ch, t);
  if (t == 0u) {
    if (p.accumulate != 0u) {
      dbeta[ch] += sums.x;
      dgamma[ch] += sums.y;
    } else {
      dbeta[ch] = sums.x;
      dgamma[ch] = sums.y;
    }
    let m = f32(p.m);
    let istd = invStd[ch];
    coef[ch] = vec4<f32>(gamma[ch] * istd, sums.x / m, istd * sums.y / m, mean[ch]);
  }
}
