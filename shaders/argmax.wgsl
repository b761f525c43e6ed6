// Row-wise argmax of logits [n, k], first maximum on ties: one workgroup per row
// (common/perRow.wgsl) with a tree reduction over k. COMPARE = true writes u32(argmax == label) instead of the index
// (summed by sumU32 into a correct count). Rows with NaN give an unspecified index in [0, k).
override COMPARE: bool = false;

struct Params { n: u32, k: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

// A value and its column; the larger value wins, the smaller column on ties.
struct Best { v: f32, i: u32 }
alias TreeT = Best;
fn treeCombine(a: Best, b: Best) -> Best {
  if (b.v > a.v || (b.v == a.v && b.i < a.i)) { return b; }
  return a;
}

fn rowItem(row: u32, t: u32) {
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
  let winner = treeReduce(t, Best(v, idx));
  if (t == 0u) {
    // NaN rows can leave the sentinel; clamp so consumers may index with it.
    let best = min(winner.i, p.k - 1u);
    if (COMPARE) { out[row] = u32(best == labels[row]); } else { out[row] = best; }
  }
}
