// Header of the element-wise kernels the graph compiler generates from a chain of ops
// (src/gpu/kernels/fusedElementwise.ts): the uniforms and the output. The generated
// `fn element(i)` and its input bindings (numbered from 2) follow, then elementwiseMain.wgsl.

struct Params { n: u32, accumulate: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

// Channel of element i of an NCHW tensor with c channels of hw values.
fn channel(i: u32) -> u32 { return (i / p.hw) % p.c; }
