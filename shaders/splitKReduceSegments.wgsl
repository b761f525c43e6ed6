// Many split-K reductions in one dispatch: segment s sums its `splits` partial blocks of
// `len` values, partials[from + k*len + i] for k < splits, into out[to + i] (added to
// out when accumulating). One invocation per output value of all segments together
// (common/perIndex.wgsl); a binary search over the segments' first indices finds its
// segment. segs[6s..6s+5] = (first, len, splits, from, to, accumulate), first ascending.
// n: outputs of all segments; count: segments.
struct Params { n: u32, count: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> segs: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

fn item(t: u32) {
  var lo = 0u;
  var hi = p.count - 1u;
  while (lo < hi) {
    let mid = (lo + hi + 1u) / 2u;
    if (segs[6u * mid] <= t) { lo = mid; } else { hi = mid - 1u; }
  }
  let o = 6u * lo;
  let i = t - segs[o];
  let len = segs[o + 1u];
  let src = segs[o + 3u] + i;
  var sum = 0.0;
  for (var k = 0u; k < segs[o + 2u]; k++) { sum += partials[src + k * len]; }
  let to = segs[o + 4u] + i;
  if (segs[o + 5u] != 0u) { sum += out[to]; }
  out[to] = sum;
}
