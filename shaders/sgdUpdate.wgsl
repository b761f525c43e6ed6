// One torch.optim.SGD step in place (weight decay, momentum with dampening, Nesterov).
// Hyperparameters are read from a storage buffer, not the uniform, so one recorded
// program replays every step while the engine rewrites lr / firstStep between runs.

// Packed by name from this declaration (packSgdHyper); flags are 0.0 / 1.0.
struct Hyper { lr: f32, momentum: f32, weightDecay: f32, dampening: f32, nesterov: f32, firstStep: f32 }
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read_write> weights: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<storage, read> h: Hyper;
@group(0) @binding(4) var<uniform> p: Params;

fn item(i: u32) {
  let w = weights[i];
  var g = grad[i];
  // PyTorch skips the add when weight_decay == 0 (matters only for non-finite weights).
  if (h.weightDecay != 0.0) { g = g + h.weightDecay * w; }
  if (h.momentum != 0.0) {
    // PyTorch starts the buffer as a copy of g, ignoring dampening on the first step.
    var buf = g;
    if (h.firstStep == 0.0) { buf = h.momentum * velocity[i] + (1.0 - h.dampening) * g; }
    velocity[i] = buf;
    if (h.nesterov != 0.0) { g = g + h.momentum * buf; } else { g = buf; }
  }
  weights[i] = w - h.lr * g;
}
