// The combine passes of the per-channel reductions (batchNormStatsFinalize,
// batchNormBackwardFinalize, biasGradFinalize): one workgroup per channel
// (common/perRow.wgsl, p.n = channels) folds that channel's p.chunks partials, read by the
// kernel's fn loadPartial(ch: u32, k: u32) -> TreeT, with treeCombine, then across the
// workgroup (common/treeReduce.wgsl). Not a kernel: prepended by withChunkCombine
// (src/gpu/kernels/channelReduce.ts).
fn combineChunks(ch: u32, t: u32) -> TreeT {
  var v = TreeT();
  for (var k = t; k < p.chunks; k += WG) { v = treeCombine(v, loadPartial(ch, k)); }
  return treeReduce(t, v);
}
