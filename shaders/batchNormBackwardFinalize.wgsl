// Batch-norm backward, pass 2: one workgroup per channel (common/chunkCombine.wgsl) adds up
// the chunk partials, writes dgamma / dbeta and the dx record coef[ch] of
// common/bnGradRecord.wgsl.
// n: channels.
struct Params { n: u32, chunks: u32, m: u32, accGamma: u32 }

@group(0) @binding(5) var<storage, read_write> coef: array<vec4<f32>>;

fn rowItem(ch: u32, t: u32) {
  let sums = combineChunks(ch, t);
  if (t == 0u) {
    let rec = channelRecord(ch, sums);
    channelWrite(ch, sums, rec);
    coef[ch] = rec;
  }
}
