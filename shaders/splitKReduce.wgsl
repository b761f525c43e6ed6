// out[i] = sum_s partials[s*length + i] (plus out[i] when accumulating): the second pass of
// a split-K GEMM. One invocation per output (common/perIndex.wgsl); each step of its loop is coalesced
// across i.

// n: the output's length.
struct Params { n: u32, splits: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

fn item(i: u32) {
  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) { sum += partials[s * p.n + i]; }
  if (p.accumulate != 0u) { sum += out[i]; }
  out[i] = sum;
}
