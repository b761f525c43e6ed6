// The row pass of the cross-entropy losses (softmaxCrossEntropy.wgsl, mixedCrossEntropy.wgsl)
// against a soft target q (a one-hot label, or mixup's blend of two): one workgroup per row
// of logits [n, k] (common/perRow.wgsl), with tree reductions over k. Writes the row's loss
// logsumexp(z) - sum_j q_j z_j (max-subtracted, so large logits cannot overflow) and
// dlogits = (softmax(z) - q) / n. The batch mean of the row losses is a second kernel
// (reduce.wgsl). A label >= k is never used as an index: that row's loss and dlogits
// become NaN, so the bad label cannot go unnoticed.
// Not a kernel: appended to a shader that binds its labels (from binding 4) and declares
//   fn labelsValid(row: u32) -> bool                  every label of the row is < k
//   fn softLabel(row: u32, j: u32) -> f32              q_j
//   fn targetLogit(row: u32, base: u32, m: f32) -> f32  sum_j q_j (z_j - m), labels clamped to k - 1
struct Params { n: u32, k: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>;

// (max, sum) pairs: x combines by max, y by sum, so one tree serves both row reductions.
alias TreeT = vec2<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return vec2<f32>(max(a.x, b.x), a.y + b.y); }

// (max m, sum of exp(z - m)) of the k logits from `base`, the same in every invocation.
fn rowMaxSumExp(t: u32, base: u32, k: u32) -> vec2<f32> {
  // Column 0 seeds every invocation's max (k >= 1), which avoids an -Inf literal.
  var m = logits[base];
  for (var j = t; j < k; j += WG) { m = max(m, logits[base + j]); }
  m = treeReduce(t, vec2<f32>(m, 0.0)).x;
  workgroupBarrier();
  var s = 0.0;
  for (var j = t; j < k; j += WG) { s += exp(logits[base + j] - m); }
  return vec2<f32>(m, treeReduce(t, vec2<f32>(m, s)).y);
}

fn rowItem(row: u32, t: u32) {
  let base = row * p.k;
  let ms = rowMaxSumExp(t, base, p.k);
  let m = ms.x;
  let s = ms.y;
  let valid = labelsValid(row);
  let nan = bitcast<f32>(0x7fc00000u + u32(valid)); // runtime value: cannot be const-folded away
  let invN = 1.0 / f32(p.n);
  let invS = 1.0 / s;
  for (var j = t; j < p.k; j += WG) {
    let g = exp(logits[base + j] - m) * invS - softLabel(row, j);
    dlogits[base + j] = select(nan, g * invN, valid);
  }
  if (t == 0u) { rowLoss[row] = select(nan, log(s) - targetLogit(row, base, m), valid); }
}
