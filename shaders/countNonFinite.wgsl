// Counts NaN/Inf elements of an f32 tensor by their bit pattern (exponent field all ones),
// never by float comparisons, which compilers may fold (x != x -> false under fast math).
// The buffer is declared array<u32>: the bitcast happens at the binding, so no f32 value
// is ever loaded (no NaN canonicalisation or denormal flushing can intervene).
// SUM_U32 = true turns it into a plain u32 sum (the second pass, or any 0/1 flags).
override WG: u32 = 256;
override SUM_U32: bool = false;

struct Params { n: u32, outIndex: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> bits: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> p: Params;

alias TreeT = u32;
fn treeCombine(a: u32, b: u32) -> u32 { return a + b; }

fn load(i: u32) -> u32 {
  let b = bits[i];
  if (SUM_U32) { return b; }
  return u32((b & 0x7f800000u) == 0x7f800000u);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  var acc = 0u;
  let stride = nwg.x * WG;
  for (var i = wid.x * WG + t; i < p.n; i += stride) {
    acc += load(i);
  }
  let total = treeReduce(t, acc);
  if (t == 0u) {
    let at = p.outIndex + wid.x;
    out[at] = select(0u, out[at], p.accumulate != 0u) + total;
  }
}
