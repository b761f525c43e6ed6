// Mixup's cross-entropy, row pass: against two labels a, b with the loss weight w (a
// 1-element buffer, written each step) the row's loss is
//   w * (logsumexp(z) - z[a]) + (1 - w) * (logsumexp(z) - z[b])
// and dlogits = (softmax(z) - w * onehot(a) - (1 - w) * onehot(b)) / n, i.e. cross-entropy
// against the soft label w * onehot(a) + (1 - w) * onehot(b), by the shared row pass
// shaders/common/crossEntropyRow.wgsl (appended). A label >= k makes the row NaN.

@group(0) @binding(4) var<storage, read> labels: array<u32>;
@group(0) @binding(5) var<storage, read> second: array<u32>;
@group(0) @binding(6) var<storage, read> weight: array<f32>;

fn labelsValid(row: u32) -> bool { return labels[row] < p.k && second[row] < p.k; }

fn softLabel(row: u32, j: u32) -> f32 {
  let w = weight[0];
  return select(0.0, w, j == labels[row]) + select(0.0, 1.0 - w, j == second[row]);
}

fn targetLogit(row: u32, base: u32, m: f32) -> f32 {
  let w = weight[0];
  let za = logits[base + min(labels[row], p.k - 1u)] - m;
  let zb = logits[base + min(second[row], p.k - 1u)] - m;
  return w * za + (1.0 - w) * zb;
}
