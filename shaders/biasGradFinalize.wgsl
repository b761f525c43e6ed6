// Bias gradient, pass 2: one workgroup per channel (common/chunkCombine.wgsl) adds the chunk partials of biasGrad
// into dbias[ch], overwriting it or, with accumulate, adding to the gradient there.
// n: channels.
struct Params { n: u32, chunks: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

fn loadPartial(ch: u32, k: u32) -> f32 { return partials[ch * p.chunks + k]; }

fn rowItem(ch: u32, t: u32) {
  let total = combineChunks(ch, t);
  if (t == 0u) {
    if (p.accumulate != 0u) { dbias[ch] += total; } else { dbias[ch] = total; }
  }
}
