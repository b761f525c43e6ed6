// The one-line element-wise kernels: each function returns element i of `out`.
// src/gpu/kernels/elementwise.ts wraps one in common/elementwiseMain.wgsl (`out =` or
// `out +=`) and common/perIndex.wgsl (grid, bounds check); a pipeline binds only the
// arrays its function reads.
// Adding a kernel: one function here and its name in ELEMENTWISE (elementwise.ts).

// One uniform struct for all: a kernel sets the fields it reads, the rest are zero.
struct Params { n: u32, accumulate: u32, c: u32, hw: u32, index: u32, a: f32, b: f32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
// A learnable 1-element scalar (residual-branch scale, Fixup bias).
@group(0) @binding(5) var<storage, read> scalar: array<f32>;
@group(0) @binding(6) var<storage, read> bias: array<f32>;
@group(0) @binding(7) var<storage, read> gamma: array<f32>;
@group(0) @binding(8) var<storage, read> beta: array<f32>;
@group(0) @binding(11) var<storage, read> runningMean: array<f32>;
@group(0) @binding(12) var<storage, read> runningVar: array<f32>;
// Per-channel records: (mean, gamma*invStd, beta, invStd) of batchNormStatsFinalize for
// batchNormApply, (A, B, K, mean) of batchNormBackwardFinalize for batchNormBackwardData.
@group(0) @binding(13) var<storage, read> coef: array<vec4<f32>>;
@group(0) @binding(14) var<storage, read> stats: array<f32>;

// Channel of element i of an NCHW tensor with c channels of hw values.
fn channel(i: u32) -> u32 { return (i / p.hw) % p.c; }

fn reluForward(i: u32) -> f32 { return max(x[i], 0.0); }
// dx = dy where the forward input (or output: both are > 0 in the same places) x > 0.
fn reluBackward(i: u32) -> f32 { return select(0.0, dy[i], x[i] > 0.0); }
fn scale(i: u32) -> f32 { return p.a * x[i]; }
fn axpby(i: u32) -> f32 { return p.a * x[i] + p.b * y[i]; }
fn scalarAdd(i: u32) -> f32 { return x[i] + scalar[0]; }
fn scalarMul(i: u32) -> f32 { return scalar[0] * x[i]; }
// Per-channel bias; hw = 1 for a linear layer's [n, c] output.
fn biasAdd(i: u32) -> f32 { return x[i] + bias[channel(i)]; }
// Batch norm with the batch statistics' coefficients. x - mean first: folding into
// scale*x + shift would lose digits when |mean| >> std. The fused kernels generate the
// same expression (src/gpu/kernels/fusedExpr.ts, op 'bn'), so fused and unfused agree.
fn batchNormApply(i: u32) -> f32 { let k = coef[channel(i)]; return (x[i] - k.x) * k.y + k.z; }
fn batchNormEval(i: u32) -> f32 { let ch = channel(i); return gamma[ch] * (x[i] - runningMean[ch]) / sqrt(runningVar[ch] + p.eps) + beta[ch]; }
// Eval-mode statistics are constants, so this is the whole input gradient.
fn batchNormEvalBackward(i: u32) -> f32 { let ch = channel(i); return dy[i] * gamma[ch] / sqrt(runningVar[ch] + p.eps); }
// Backward pass 3: dx = A*(dy - B - (x - mean)*K).
fn batchNormBackwardData(i: u32) -> f32 { let k = coef[channel(i)]; return k.x * (dy[i] - k.y - (x[i] - k.w) * k.z); }
// dx[row*hw + s] = dy[row] / hw.
fn globalAvgPoolBackward(i: u32) -> f32 { return dy[i / p.hw] / f32(p.hw); }
// torch.nn.utils.clip_grad_norm_ in place: a = maxNorm; stats[index] holds |g|^2, written
// earlier in the same step.
fn clipGradients(i: u32) -> f32 { return out[i] * min(1.0, p.a / (sqrt(stats[p.index]) + 1e-6)); }
