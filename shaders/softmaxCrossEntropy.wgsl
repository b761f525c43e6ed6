// Softmax cross-entropy, row pass: the loss logsumexp(z) - z[y] of each row of logits
// [n, k] and dlogits = (softmax(z) - onehot(y)) / n, by the shared row pass
// shaders/common/crossEntropyRow.wgsl (appended) with the one-hot target of label y.

@group(0) @binding(4) var<storage, read> labels: array<u32>;

fn labelsValid(row: u32) -> bool { return labels[row] < p.k; }
fn softLabel(row: u32, j: u32) -> f32 { return select(0.0, 1.0, j == labels[row]); }
fn targetLogit(row: u32, base: u32, m: f32) -> f32 { return logits[base + min(labels[row], p.k - 1u)] - m; }
