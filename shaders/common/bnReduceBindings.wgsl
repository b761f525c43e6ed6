// The bindings of the batch-norm backward's first pass, both variants
// (batchNormBackwardReduce.wgsl, batchNormBackwardReduceDirect.wgsl): x, the forward's
// record fwd[ch] = (mean, gamma*invStd, beta, invStd), the partial sums and the chunk
// uniforms; dy comes through dyAt (binding 1, or from 6).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> fwd: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<uniform> p: ChunkParams;
