// The row statistics of a softmax over logits [n, k], one workgroup per row: the row's
// max m and sum_j exp(z_j - m), by tree reductions over k. Not a kernel: prepended by
// softmaxCrossEntropy.ts and mixedCrossEntropy.ts; the shader declares `override WG` and
// `logits`.

var<workgroup> red: array<f32, WG>;

// Both reductions end with a barrier so `red` can be reused right away.
fn treeMax(t: u32, v: f32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] = max(red[t], red[t + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn treeSum(t: u32, v: f32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

// (max, sum of exp(z - max)) of the k logits from `base`, the same in every thread.
fn rowMaxSumExp(t: u32, base: u32, k: u32) -> vec2<f32> {
  // Column 0 seeds every thread's max (k >= 1), which avoids an -Inf literal.
  var m = logits[base];
  for (var j = t; j < k; j += WG) { m = max(m, logits[base + j]); }
  m = treeMax(t, m);
  var s = 0.0;
  for (var j = t; j < k; j += WG) { s += exp(logits[base + j] - m); }
  return vec2<f32>(m, treeSum(t, s));
}
