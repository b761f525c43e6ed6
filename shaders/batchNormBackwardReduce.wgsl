// Batch-norm backward, pass 1: workgroup (k, ch) sums dy and dy*xhat over chunk k of
// channel ch (xhat = (x - mean)*invStd from the forward's record) by a tree (common/treeReduce.wgsl),
// into partials[(ch*chunks + k)*2 + {0, 1}]. dy is read through dyAt(idx): a plain
// load (common/gradLoad.wgsl), or a fused expression the graph compiler generates (e.g. a
// ReLU's backward mask over the incoming gradient) whose bindings are numbered from 6.
override WG: u32 = 256;

// Bindings: common/bnReduceBindings.wgsl.

alias TreeT = vec2<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return a + b; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let r = chunkOf(wid);
  let f = fwd[r.ch];
  let mu = f.x;
  let istd = f.w;
  var mine = vec2<f32>(0.0);
  for (var j = r.start + t; j < r.end; j += WG) {
    let idx = nchwChannelIndex(j, r.ch, p.c, p.hw);
    let g = dyAt(idx);
    mine += vec2<f32>(g, g * (x[idx] - mu) * istd);
  }
  let total = treeReduce(t, mine);
  if (t == 0u) {
    let o = (r.ch * p.chunks + r.k) * 2u;
    partials[o] = total.x;
    partials[o + 1u] = total.y;
  }
}
