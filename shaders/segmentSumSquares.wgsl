// Sum of squares of each segment of a flat buffer (one parameter tensor per segment):
// one workgroup per segment, coalesced grid-stride loads, tree reduction in workgroup
// memory. Gives every parameter's gradient norm in a single dispatch.
override WG: u32 = 256;

struct Params { segments: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
// segs[2s] = element offset, segs[2s + 1] = length.
@group(0) @binding(1) var<storage, read> segs: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: f32, b: f32) -> f32 { return a + b; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let s = workgroupIndex(wid, nwg);
  if (s >= p.segments) { return; }
  let start = segs[2u * s];
  let len = segs[2u * s + 1u];
  var acc = 0.0;
  for (var i = t; i < len; i += WG) {
    let v = x[start + i];
    acc += v * v;
  }
  let total = treeReduce(t, acc);
  if (t == 0u) { out[s] = total; }
}
