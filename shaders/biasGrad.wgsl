// Bias gradient, pass 1: workgroup (k, ch) sums dy over chunk k of channel ch's n*hw
// values (common/treeReduce.wgsl) into partials[ch*chunks + k]; biasGradFinalize adds
// the chunks. For hw = 1 the loads stride by c, acceptable for the small [n, c] outputs
// of linear layers.
override WG: u32 = 256;

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<uniform> p: ChunkParams;

alias TreeT = f32;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let r = chunkOf(wid);
  var s = 0.0;
  for (var j = r.start + t; j < r.end; j += WG) { s += dy[nchwChannelIndex(j, r.ch, p.c, p.hw)]; }
  let total = treeReduce(t, s);
  if (t == 0u) { partials[r.ch * p.chunks + r.k] = total; }
}
