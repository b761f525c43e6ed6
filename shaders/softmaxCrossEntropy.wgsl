// Softmax cross-entropy, row pass: one workgroup per row of logits [n, k] with tree
// reductions over k. Writes the row's loss logsumexp(z) - z[y] (max-subtracted, so large
// logits cannot overflow) and dlogits = (softmax(z) - onehot(y)) / n. The batch mean of
// the row losses is a second kernel (reduce.wgsl). A label >= k is never used as an
// index: that row's loss and dlogits become NaN, so the bad label cannot go unnoticed.
// Helpers: shaders/common/rowSoftmax.wgsl (prepended).
override WG: u32 = 64;

struct Params { n: u32, k: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.n) { return; }
  let base = row * p.k;
  let ms = rowMaxSumExp(t, base, p.k);
  let m = ms.x;
  let s = ms.y;

  let label = labels[row];
  let valid = label < p.k;
  let nan = bitcast<f32>(0x7fc00000u + u32(valid)); // runtime value: cannot be const-folded away
  let invN = 1.0 / f32(p.n);
  let invS = 1.0 / s;
  for (var j = t; j < p.k; j += WG) {
    let g = exp(logits[base + j] - m) * invS - select(0.0, 1.0, j == label);
    dlogits[base + j] = select(nan, g * invN, valid);
  }
  if (t == 0u) {
    let zy = logits[base + min(label, p.k - 1u)];
    rowLoss[row] = select(nan, log(s) - (zy - m), valid);
  }
}
