// The plain dy of a kernel that reads its incoming gradient through dyAt(i) (see
// batchNormBackwardReduce.wgsl); fused variants generate dyAt from an expression instead.
@group(0) @binding(1) var<storage, read> dy: array<f32>;

fn dyAt(i: u32) -> f32 { return dy[i]; }
