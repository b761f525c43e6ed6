// Max pooling backward: one invocation per input element gathers dy from the (at most
// ceil(k / stride)^2) output windows that cover it and chose it as their maximum. Each dx
// element has one owner, so no atomics and `accumulate` (dx += ...) is safe.

// n = n*c*h*w invocations, one per input element (common/perIndex.wgsl).
struct Params { n: u32, h: u32, w: u32, ho: u32, wo: u32, k: u32, stride: u32, pad: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> argmax: array<u32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// The output rows (or columns) whose window covers input row i: o * stride - pad <= i and
// i <= o * stride - pad + k - 1, clamped to [0, count).
fn covering(i: u32, count: u32) -> vec2<u32> {
  let top = i + p.pad;
  let first = select(0u, (top - p.k + 1u + p.stride - 1u) / p.stride, top + 1u > p.k);
  let last = min(top / p.stride + 1u, count);
  return vec2<u32>(first, last);
}

fn item(i: u32) {
  let hw = p.h * p.w;
  let plane = i / hw;
  let local = i % hw;
  let ry = covering(local / p.w, p.ho);
  let rx = covering(local % p.w, p.wo);
  let base = plane * p.ho * p.wo;
  var s = 0.0;
  for (var oy = ry.x; oy < ry.y; oy++) {
    for (var ox = rx.x; ox < rx.y; ox++) {
      let o = base + oy * p.wo + ox;
      if (argmax[o] == local) { s += dy[o]; }
    }
  }
  if (p.accumulate != 0u) { dx[i] += s; } else { dx[i] = s; }
}
