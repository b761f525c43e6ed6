// Row-wise argmax of logits [n, k], first maximum on ties: one workgroup per row with a
// tree reduction over k. COMPARE = true writes u32(argmax == label) instead of the index
// (summed by sumU32 into a correct count). Rows with NaN give an unspecified index in [0, k).
override WG: u32 = 64;
override COMPARE: bool = false;

struct Params { n: u32, k: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

var<workgroup> bestV: array<f32, WG>;
var<workgroup> bestI: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // Rows fold into y past 65535 workgroups; the test is uniform (workgroup id, uniform).
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.n) { return; }
  let base = row * p.k;
  // Threads with no column start from column 0's value but the largest index, so they
  // can never win (ties go to the smaller index) and no -Inf literal is needed.
  var v = logits[base];
  var idx = 0xffffffffu;
  for (var j = t; j < p.k; j += WG) {
    let z = logits[base + j];
    // j grows, so a strict > keeps this thread's first maximum.
    if (idx == 0xffffffffu || z > v) { v = z; idx = j; }
  }
  bestV[t] = v;
  bestI[t] = idx;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) {
      let ov = bestV[t + s];
      let oi = bestI[t + s];
      if (ov > bestV[t] || (ov == bestV[t] && oi < bestI[t])) { bestV[t] = ov; bestI[t] = oi; }
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    // NaN rows can leave the sentinel; clamp so consumers may index with it.
    let best = min(bestI[0], p.k - 1u);
    if (COMPARE) { out[row] = u32(best == labels[row]); } else { out[row] = best; }
  }
}
