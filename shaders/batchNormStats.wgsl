// Batch-norm statistics, pass 1: workgroup (k, ch) summarises chunk k of channel ch's
// n*h*w values as (count, mean, M2) in partials[ch*chunks + k]; batchNormStatsFinalize
// merges the chunks. Threads sum data shifted by their own first value (cheap, and no
// cancellation when |mean| >> std), then merge by a tree (common/treeReduce.wgsl) with chanMerge.
override WG: u32 = 256;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<uniform> p: ChunkParams;

alias TreeT = vec3<f32>;
fn treeCombine(a: TreeT, b: TreeT) -> TreeT { return chanMerge(a, b); }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let r = chunkOf(wid);
  var shift = 0.0;
  if (r.start + t < r.end) { shift = x[nchwChannelIndex(r.start + t, r.ch, p.c, p.hw)]; }
  var cnt = 0.0;
  var s = 0.0;
  var q = 0.0;
  for (var j = r.start + t; j < r.end; j += WG) {
    let d = x[nchwChannelIndex(j, r.ch, p.c, p.hw)] - shift;
    cnt += 1.0;
    s += d;
    q += d * d;
  }
  var mine = vec3<f32>(0.0);
  if (cnt > 0.0) { mine = vec3<f32>(cnt, shift + s / cnt, max(q - s * s / cnt, 0.0)); }
  let total = treeReduce(t, mine);
  if (t == 0u) {
    let o = (r.ch * p.chunks + r.k) * 3u;
    partials[o] = total.x;
    partials[o + 1u] = total.y;
    partials[o + 2u] = total.z;
  }
}
