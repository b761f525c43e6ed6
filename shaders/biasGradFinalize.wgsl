// Bias gradient, pass 2: one workgroup per channel adds the chunk partials of biasGrad
// into dbias[ch], overwriting it or, with accumulate, adding to the gradient there.
override WG: u32 = 64;

struct Params { chunks: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let ch = wid.x;
  var s = 0.0;
  for (var k = t; k < p.chunks; k += WG) { s += partials[ch * p.chunks + k]; }
  let total = treeReduce(t, s);
  if (t == 0u) {
    if (p.accumulate != 0u) { dbias[ch] += total; } else { dbias[ch] = total; }
  }
}
