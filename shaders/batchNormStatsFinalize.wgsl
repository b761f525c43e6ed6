// Batch-norm statistics, pass 2: one workgroup per channel (common/chunkCombine.wgsl) merges
// the chunk summaries of batchNormStats (or of a conv epilogue) and writes what
// common/bnStatsRecord.wgsl keeps per channel (the record, the running stats).
// n: channels.
struct Params { n: u32, chunks: u32, m: u32, eps: f32, momentum: f32 }

fn rowItem(ch: u32, t: u32) {
  let total = combineChunks(ch, t);
  if (t == 0u) { channelWrite(ch, total, channelRecord(ch, total)); }
}
