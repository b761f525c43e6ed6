// Entry point of the kernels that finish a per-channel reduction and apply its result in
// the same dispatch (src/gpu/kernels/channelApply.ts): workgroup (s, ch) merges channel
// ch's chunk partials (common/chunkCombine.wgsl), computes the channel's record with the
// kernel's fn channelRecord (every workgroup of the channel computes the same record from
// the same partials in the same order), lets slice 0 do the per-channel stores
// (fn channelWrite), then writes out[i] (+)= element(i) for slice s of the channel's items
// (p.items per channel, p.plane per image plane; items are vec4s or floats as `out` is).
// The generated `fn element` reads the record as `chanRec` and `channel(i)` is ch.
// Uniforms: chunks, c, plane, items, sliceLen, accumulate. Not a kernel: appended by
// channelApply.ts.

override WG: u32 = 64;

var<private> chanRec: vec4<f32>;
var<private> curCh: u32;

fn channel(i: u32) -> u32 { return curCh; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let ch = wid.y;
  curCh = ch;
  let total = combineChunks(ch, t);
  chanRec = channelRecord(ch, total);
  if (wid.x == 0u && t == 0u) { channelWrite(ch, total, chanRec); }
  let end = min((wid.x + 1u) * p.sliceLen, p.items);
  for (var q = wid.x * p.sliceLen + t; q < end; q += WG) {
    let img = q / p.plane;
    let i = (img * p.c + ch) * p.plane + (q - img * p.plane);
    let v = element(i);
    if (p.accumulate != 0u) { out[i] += v; } else { out[i] = v; }
  }
}
