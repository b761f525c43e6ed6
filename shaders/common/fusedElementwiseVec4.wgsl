// Header and entry point of the vectorised fused element-wise kernels
// (src/gpu/kernels/fusedElementwise.ts): invocation i computes elements 4i..4i+3 with vec4
// loads and stores, used when the length is a multiple of 4 and, for per-channel
// expressions, so is the plane size (all 4 elements then share a channel). The generated
// `fn element(i) -> vec4<f32>` and its bindings (numbered from 2) are appended.

struct Params { n: u32, accumulate: u32, c: u32, hw: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

// Channel of elements 4i..4i+3 of an NCHW tensor with c channels of hw values.
fn channel(i: u32) -> u32 { return (4u * i / p.hw) % p.c; }

override WG: u32 = 256;

// p.n counts vec4s.
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.n) { return; }
  let v = element(i);
  if (p.accumulate != 0u) { out[i] += v; } else { out[i] = v; }
}
