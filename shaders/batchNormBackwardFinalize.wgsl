// Batch-norm backward, pass 2: one workgroup per channel adds up the chunk partials into
// dbeta = sum dy and dgamma = sum dy*xhat (written, or added when accumulating), and packs
// the per-channel coefficients of dx = A*(dy - B - (x - mean)*K) into coef[ch] =
// (A, B, K, mean) with A = gamma*invStd, B = mean(dy), K = invStd*mean(dy*xhat). This
// batch's sums go to coef, not read back from dgamma, which may hold accumulated grads.
override WG: u32 = 64;

struct Params { chunks: u32, m: u32, accumulate: u32 }

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

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let ch = wid.x;
  var mine = vec2<f32>(0.0);
  for (var k = t; k < p.chunks; k += WG) {
    let o = (ch * p.chunks + k) * 2u;
    mine += vec2<f32>(partials[o], partials[o + 1u]);
  }
  let sums = treeReduce(t, mine);
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
