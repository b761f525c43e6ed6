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

var<workgroup> red: array<f32, WG>;

fn load(i: u32) -> f32 {
  switch OP {
    case 1u: { let v = x[i]; return v * v; }
    case 2u: { return abs(x[i]); }
    case 3u: { return x[i] * y[i]; }
    default: { return x[i]; }
  }
}

fn combine(a: f32, b: f32) -> f32 {
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
    acc = combine(acc, load(i));
  }
  red[t] = acc;
  workgroupBarrier();
  // Fixed tree shape (WG a power of two): the result depends only on n, never on timing.
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] = combine(red[t], red[t + s]); }
    workgroupBarrier();
  }
  if (t == 0u) {
    let at = p.outIndex + wid.x;
    var r = red[0] * p.scale;
    if (p.accumulate != 0u) { r = combine(out[at], r); }
    out[at] = r;
  }
}
