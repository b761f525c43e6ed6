// Multi-workgroup reduction of f32 data to one value per workgroup (OP chooses sum,
// sum of squares, max |x| or dot(x, y)). Workgroup g writes out[outIndex + g]; with one
// workgroup that is the final value, otherwise the descriptor runs a second pass over
// the partials. Not for u32 counts (see countNonFinite.wgsl).
override WG: u32 = 256;
// 0: sum x, 1: sum x^2, 2: max |x|, 3: sum x*y.
override OP: u32 = 0;

struct Params { n: u32, outIndex: u32, accumulate: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

alias TreeT = f32;

fn load(i: u32) -> f32 {
  switch OP {
    case 1u: { let v = x[i]; return v * v; }
    case 2u: { return abs(x[i]); }
    case 3u: { return x[i] * y[i]; }
    default: { return x[i]; }
  }
}

fn treeCombine(a: f32, b: f32) -> f32 {
  if (OP == 2u) { return max(a, b); }
  return a + b;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // Grid-stride loop: in each step the workgroup reads WG consecutive floats (coalesced).
  // 0 is the identity of both + and max|.| (|x| >= 0).
  var acc = 0.0;
  let stride = nwg.x * WG;
  for (var i = wid.x * WG + t; i < p.n; i += stride) {
    acc = treeCombine(acc, load(i));
  }
  let total = treeReduce(t, acc);
  if (t == 0u) {
    let at = p.outIndex + wid.x;
    var r = total * p.scale;
    if (p.accumulate != 0u) { r = treeCombine(out[at], r); }
    out[at] = r;
  }
}
