// One torch.optim.Adam (L2 weight decay) or AdamW (decoupled weight decay) step in place.
// Hyperparameters, including the bias corrections 1 - beta^t precomputed on the CPU,
// come from a storage buffer so one recorded program replays every step.

// Packed by name from this declaration (packAdamHyper); decoupled is 0.0 / 1.0.
struct Hyper {
  lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32,
  biasCorrection1: f32, biasCorrection2: f32, decoupled: f32,
  // 1 - beta from float64: in f32, 1 - 0.999 loses 5 significant bits.
  oneMinusBeta1: f32, oneMinusBeta2: f32,
}
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read_write> weights: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> h: Hyper;
@group(0) @binding(5) var<uniform> p: Params;

fn item(i: u32) {
  var w = weights[i];
  var g = grad[i];
  if (h.weightDecay != 0.0) {
    if (h.decoupled != 0.0) { w = w * (1.0 - h.lr * h.weightDecay); } else { g = g + h.weightDecay * w; }
  }
  let mi = h.beta1 * m[i] + h.oneMinusBeta1 * g;
  let vi = h.beta2 * v[i] + h.oneMinusBeta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  // Same grouping as PyTorch: denom = sqrt(v)/sqrt(bc2) + eps, step = lr/bc1.
  let denom = sqrt(vi) / sqrt(h.biasCorrection2) + h.eps;
  weights[i] = w - (h.lr / h.biasCorrection1) * (mi / denom);
}
