// Header of the vectorised fused element-wise kernels
// (src/gpu/kernels/fusedElementwise.ts): invocation i computes elements 4i..4i+3 with vec4
// loads and stores, used when the length is a multiple of 4 and, for per-channel
// expressions, so is the plane size (all 4 elements then share a channel). The generated
// `fn element(i) -> vec4<f32>` and its bindings (numbered from 2) follow, then
// elementwiseMain.wgsl; p.n counts vec4s.

struct Params { n: u32, accumulate: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

// Channel of elements 4i..4i+3 of an NCHW tensor with c channels of hw values.
fn channel(i: u32) -> u32 { return (4u * i / p.hw) % p.c; }
