// Batch-norm backward, pass 1, barrier-free: invocation i = ch*chunks + k sums dy and
// dy*xhat over chunk k of channel ch in order (xhat = (x - mean)*invStd from the
// forward's record), into partials[i*2 + {0, 1}], the layout batchNormBackwardReduce.wgsl writes. No
// workgroup memory and no barriers: software rasterisers (SwiftShader) pay ~2 ms per
// workgroup for that kernel's 256-thread tree; this one takes short chunks
// (BN_DIRECT_CHUNK_LEN) so there are still enough invocations. dy is read through dyAt(idx)
// as there (common/gradLoad.wgsl or a generated expression, bindings from 6).
override WG: u32 = 64;

// Bindings: common/bnReduceBindings.wgsl.

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg, WG);
  if (i >= p.c * p.chunks) { return; }
  let ch = i / p.chunks;
  let start = (i % p.chunks) * p.chunkLen;
  let end = min(start + p.chunkLen, p.m);
  let f = fwd[ch];
  let mu = f.x;
  let istd = f.w;
  var s = vec2<f32>(0.0);
  for (var j = start; j < end; j++) {
    let idx = nchwChannelIndex(j, ch, p.c, p.hw);
    let g = dyAt(idx);
    s += vec2<f32>(g, g * (x[idx] - mu) * istd);
  }
  partials[i * 2u] = s.x;
  partials[i * 2u + 1u] = s.y;
}
