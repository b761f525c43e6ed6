// Batched GEMM, barrier-free: C[bt] = alpha * op(A[bt]) @ op(B[bt]) + beta * C[bt], row-major
// f32, op(A) m x k, op(B) k x n, batches contiguous. Each invocation (common/perIndex.wgsl)
// owns a register block of 8 rows x 8 columns of C and sums over k straight from global
// memory: per k, 8 loads of op(A) and 8 of op(B) feed 64 FMAs (15% faster than 4 x 8 on
// SwiftShader at 256 and 512). No workgroup memory and no
// barriers, which software rasterisers (SwiftShader) run far faster than the tiled kernel
// (matmul.wgsl, two barriers per K tile); the tuner picks per adapter and shape. Rows and
// columns past the edge read the last one (in bounds, never stored), so the loop has no
// bounds tests. Blocks: p.cb = ceil(cols/8) column blocks (fastest), p.rb = ceil(rows/8)
// row blocks, then batches; p.n invocations.

override TRANS_A: bool = false; // A stored k x m
override TRANS_B: bool = false; // B stored n x k

struct Params {
  n: u32, rows: u32, cols: u32, depth: u32,
  alpha: f32, beta: f32, cb: u32, rb: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

// Offset of op(A)'s row r (op(B)'s column c) and the step from one k to the next.
fn rowOf(base: u32, r: u32, trans: bool) -> vec2<u32> {
  let rr = min(r, p.rows - 1u);
  if (trans) { return vec2<u32>(base + rr, p.rows); }
  return vec2<u32>(base + rr * p.depth, 1u);
}

fn colOf(base: u32, col: u32, trans: bool) -> vec2<u32> {
  let cc = min(col, p.cols - 1u);
  if (trans) { return vec2<u32>(base + cc * p.depth, 1u); }
  return vec2<u32>(base + cc, p.cols);
}

fn item(t: u32) {
  let col0 = (t % p.cb) * 8u;
  let r1 = t / p.cb;
  let row0 = (r1 % p.rb) * 8u;
  let bt = r1 / p.rb;
  let baseA = bt * p.rows * p.depth;
  let baseB = bt * p.depth * p.cols;
  let a0 = rowOf(baseA, row0 + 0u, TRANS_A);
  let a1 = rowOf(baseA, row0 + 1u, TRANS_A);
  let a2 = rowOf(baseA, row0 + 2u, TRANS_A);
  let a3 = rowOf(baseA, row0 + 3u, TRANS_A);
  let a4 = rowOf(baseA, row0 + 4u, TRANS_A);
  let a5 = rowOf(baseA, row0 + 5u, TRANS_A);
  let a6 = rowOf(baseA, row0 + 6u, TRANS_A);
  let a7 = rowOf(baseA, row0 + 7u, TRANS_A);
  let bs = colOf(baseB, col0, TRANS_B).y;
  let b0 = vec4<u32>(colOf(baseB, col0, TRANS_B).x, colOf(baseB, col0 + 1u, TRANS_B).x,
                     colOf(baseB, col0 + 2u, TRANS_B).x, colOf(baseB, col0 + 3u, TRANS_B).x);
  let b1 = vec4<u32>(colOf(baseB, col0 + 4u, TRANS_B).x, colOf(baseB, col0 + 5u, TRANS_B).x,
                     colOf(baseB, col0 + 6u, TRANS_B).x, colOf(baseB, col0 + 7u, TRANS_B).x);

  var acc: array<vec4<f32>, 16>; // acc[2 * row + group][column of the group]
  for (var k = 0u; k < p.depth; k++) {
    let ka = k * a0.y;
    let kb = k * bs;
    let va = vec4<f32>(a[a0.x + ka], a[a1.x + ka], a[a2.x + ka], a[a3.x + ka]);
    let vb = vec4<f32>(a[a4.x + ka], a[a5.x + ka], a[a6.x + ka], a[a7.x + ka]);
    let v0 = vec4<f32>(b[b0.x + kb], b[b0.y + kb], b[b0.z + kb], b[b0.w + kb]);
    let v1 = vec4<f32>(b[b1.x + kb], b[b1.y + kb], b[b1.z + kb], b[b1.w + kb]);
    acc[0] = fma(vec4<f32>(va.x), v0, acc[0]);
    acc[1] = fma(vec4<f32>(va.x), v1, acc[1]);
    acc[2] = fma(vec4<f32>(va.y), v0, acc[2]);
    acc[3] = fma(vec4<f32>(va.y), v1, acc[3]);
    acc[4] = fma(vec4<f32>(va.z), v0, acc[4]);
    acc[5] = fma(vec4<f32>(va.z), v1, acc[5]);
    acc[6] = fma(vec4<f32>(va.w), v0, acc[6]);
    acc[7] = fma(vec4<f32>(va.w), v1, acc[7]);
    acc[8] = fma(vec4<f32>(vb.x), v0, acc[8]);
    acc[9] = fma(vec4<f32>(vb.x), v1, acc[9]);
    acc[10] = fma(vec4<f32>(vb.y), v0, acc[10]);
    acc[11] = fma(vec4<f32>(vb.y), v1, acc[11]);
    acc[12] = fma(vec4<f32>(vb.z), v0, acc[12]);
    acc[13] = fma(vec4<f32>(vb.z), v1, acc[13]);
    acc[14] = fma(vec4<f32>(vb.w), v0, acc[14]);
    acc[15] = fma(vec4<f32>(vb.w), v1, acc[15]);
  }

  let baseC = bt * p.rows * p.cols;
  storeRow(baseC, row0 + 0u, col0, acc[0], acc[1]);
  storeRow(baseC, row0 + 1u, col0, acc[2], acc[3]);
  storeRow(baseC, row0 + 2u, col0, acc[4], acc[5]);
  storeRow(baseC, row0 + 3u, col0, acc[6], acc[7]);
  storeRow(baseC, row0 + 4u, col0, acc[8], acc[9]);
  storeRow(baseC, row0 + 5u, col0, acc[10], acc[11]);
  storeRow(baseC, row0 + 6u, col0, acc[12], acc[13]);
  storeRow(baseC, row0 + 7u, col0, acc[14], acc[15]);
}

// Columns col0.. of row `row` (v0: the first 4, v1: the next 4), those inside C only.
fn storeRow(baseC: u32, row: u32, col0: u32, v0: vec4<f32>, v1: vec4<f32>) {
  if (row >= p.rows) { return; }
  for (var j = 0u; j < 8u; j++) {
    let col = col0 + j;
    if (col >= p.cols) { return; }
    let at = baseC + row * p.cols + col;
    var v = p.alpha * select(v1[j % 4u], v0[j % 4u], j < 4u);
    // beta == 0 must not read C (it may hold NaN from an earlier use of the buffer).
    if (p.beta != 0.0) { v += p.beta * c[at]; }
    c[at] = v;
  }
}
