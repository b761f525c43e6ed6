// The plain epilogue of conv2dForward.wgsl (gemmStoreRow of common/implicitGemmTile.wgsl):
// writes row m of the invocation's block into y.
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn gemmStoreRow(m: u32, k: u32, at: array<u32, 4>, valid: u32, v: vec4<f32>) {
  for (var j = 0u; j < valid; j++) { y[at[j]] = v[j]; }
}
