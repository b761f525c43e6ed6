// The chunk passes of per-channel reductions (batchNormStats, batchNormBackwardReduce,
// biasGrad): their uniform struct and the range of values one workgroup reduces. Not a
// kernel: prepended after channelReduce.wgsl by src/gpu/kernels/channelReduce.ts.

// Uniforms of the chunk passes (one workgroup per (chunk k, channel ch), grid [chunks, c]):
// channel count, plane size, values per channel m = n*hw, and the chunking of m.
struct ChunkParams { c: u32, hw: u32, m: u32, chunkLen: u32, chunks: u32 }

// Chunk k = wid.x of channel ch = wid.y covers the channel's values start..end-1.
struct Chunk { k: u32, ch: u32, start: u32, end: u32 }

fn chunkOf(wid: vec3<u32>) -> Chunk {
  let start = wid.x * p.chunkLen;
  return Chunk(wid.x, wid.y, start, min(start + p.chunkLen, p.m));
}
