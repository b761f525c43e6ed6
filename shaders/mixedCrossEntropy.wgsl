// Mixup's cross-entropy, row pass: one workgroup per row of logits [n, k], as
// softmaxCrossEntropy.wgsl, against two labels with the loss weight w (a 1-element
// buffer, written each step): the row's loss is
//   w * (logsumexp(z) - z[a]) + (1 - w) * (logsumexp(z) - z[b])
// and dlogits = (softmax(z) - w * onehot(a) - (1 - w) * onehot(b)) / n, i.e. cross-entropy
// against the soft label w * onehot(a) + (1 - w) * onehot(b). A label >= k makes the
// row NaN. The batch mean is a second kernel (reduce.wgsl).
// Helpers: shaders/common/rowSoftmax.wgsl (prepended).
override WG: u32 = 64;

struct Params { n: u32, k: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read> second: array<u32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.n) { return; }
  let base = row * p.k;
  let ms = rowMaxSumExp(t, base, p.k);
  let m = ms.x;
  let s = ms.y;

  let a = labels[row];
  let b = second[row];
  let w = weight[0];
  let valid = a < p.k && b < p.k;
  let nan = bitcast<f32>(0x7fc00000u + u32(valid)); // runtime value: cannot be const-folded away
  let invN = 1.0 / f32(p.n);
  let invS = 1.0 / s;
  for (var j = t; j < p.k; j += WG) {
    let soft = select(0.0, w, j == a) + select(0.0, 1.0 - w, j == b);
    let g = exp(logits[base + j] - m) * invS - soft;
    dlogits[base + j] = select(nan, g * invN, valid);
  }
  if (t == 0u) {
    let za = logits[base + min(a, p.k - 1u)] - m;
    let zb = logits[base + min(b, p.k - 1u)] - m;
    rowLoss[row] = select(nan, log(s) - (w * za + (1.0 - w) * zb), valid);
  }
}
