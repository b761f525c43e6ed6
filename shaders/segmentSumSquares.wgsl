// Sum of squares of each segment of a flat buffer (one parameter tensor per segment):
// one workgroup per segment (common/perRow.wgsl), coalesced grid-stride loads, tree reduction in workgroup
// memory. Gives every parameter's gradient norm in a single dispatch.
// n: segments.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
// segs[2s] = element offset, segs[2s + 1] = length.
@group(0) @binding(1) var<storage, read> segs: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

alias TreeT = f32;
fn treeCombine(a: f32, b: f32) -> f32 { return a + b; }

fn rowItem(s: u32, t: u32) {
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
