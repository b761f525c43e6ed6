// Batched GEMM: C[bt] = alpha * op(A[bt]) @ op(B[bt]) + beta * C[bt], row-major f32,
// op(A) m x k, op(B) k x n, batches contiguous. One workgroup owns a (4*WG_Y) x (4*WG_X)
// tile of C, each invocation a 4x4 register block; K is staged through workgroup memory
// TILE_K deep. Transposes are resolved by the load stage. Entry `main` loads scalars
// (any shape); `mainVec4` loads/stores vec4 (the host picks it when the contiguous dims are
// multiples of 4). Not a split-K kernel: each C element is summed by one invocation.
//
// Two barriers per K tile are cheap on real GPUs and expensive on SwiftShader (software
// Vulkan); the kernel is tuned for the former and only verified on the latter.

override WG_X: u32 = 16;   // invocations along n; each owns 4 adjacent columns
override WG_Y: u32 = 16;   // invocations along m; each owns 4 adjacent rows
override TILE_K: u32 = 16; // K depth staged per barrier pair; a multiple of 4
override TRANS_A: bool = false; // A stored k x m
override TRANS_B: bool = false; // B stored n x k

struct Params {
  m: u32, n: u32, k: u32,
  alpha: f32, beta: f32,
  // Tile origin of this dispatch, for grids split at the per-dimension workgroup limit.
  rowTile0: u32, colTile0: u32, batch0: u32,
}

// The scalar and vec4 entry points view the same bindings with different element types;
// each entry point uses only one view, so the aliases never meet in one pipeline.
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(0) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c4: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> p: Params;

// k-major so the inner loop reads one vec4 of 4 rows (As) and one of 4 columns (Bs) per k:
// As[kk * WG_Y + r / 4][r % 4] = op(A)[row0 + r][k0 + kk]
// Bs[kk * WG_X + q / 4][q % 4] = op(B)[k0 + kk][col0 + q]
var<workgroup> As: array<vec4<f32>, TILE_K * WG_Y>;
var<workgroup> Bs: array<vec4<f32>, TILE_K * WG_X>;

struct Tile { row0: u32, col0: u32, baseA: u32, baseB: u32, baseC: u32 }

fn tileOf(wid: vec3<u32>) -> Tile {
  let bt = wid.z + p.batch0;
  return Tile((wid.y + p.rowTile0) * 4u * WG_Y, (wid.x + p.colTile0) * 4u * WG_X,
              bt * p.m * p.k, bt * p.k * p.n, bt * p.m * p.n);
}

fn opA(t: Tile, row: u32, kg: u32) -> f32 {
  if (row >= p.m || kg >= p.k) { return 0.0; }
  if (TRANS_A) { return a[t.baseA + kg * p.m + row]; }
  return a[t.baseA + row * p.k + kg];
}

fn opB(t: Tile, kg: u32, col: u32) -> f32 {
  if (kg >= p.k || col >= p.n) { return 0.0; }
  if (TRANS_B) { return b[t.baseB + col * p.k + kg]; }
  return b[t.baseB + kg * p.n + col];
}

// Scalar staging: consecutive invocations walk the operand's contiguous dimension so the
// global reads coalesce whichever way the operand is stored.
fn loadScalar(t: Tile, k0: u32, li: u32) {
  let tm = 4u * WG_Y;
  let tn = 4u * WG_X;
  for (var i = li; i < TILE_K * tm; i += WG_X * WG_Y) {
    var r = i / TILE_K;
    var kk = i % TILE_K;
    if (TRANS_A) { r = i % tm; kk = i / tm; }
    As[kk * WG_Y + r / 4u][r % 4u] = opA(t, t.row0 + r, k0 + kk);
  }
  for (var i = li; i < TILE_K * tn; i += WG_X * WG_Y) {
    var q = i % tn;
    var kk = i / tn;
    if (TRANS_B) { q = i / TILE_K; kk = i % TILE_K; }
    Bs[kk * WG_X + q / 4u][q % 4u] = opB(t, k0 + kk, t.col0 + q);
  }
}

// vec4 staging. With the contiguous dimension a multiple of 4, a vec4 is wholly in or out
// of range. Operands contiguous along m / n land in workgroup memory as they are; those
// contiguous along k are scattered into 4 k-rows (a small bank conflict, paid once per tile,
// in exchange for coalesced global reads).
fn loadVec4(t: Tile, k0: u32, li: u32) {
  for (var i = li; i < TILE_K * WG_Y; i += WG_X * WG_Y) {
    if (TRANS_A) {
      let qr = i % WG_Y;
      let kk = i / WG_Y;
      let row = t.row0 + 4u * qr;
      let kg = k0 + kk;
      var v = vec4<f32>();
      if (row < p.m && kg < p.k) { v = a4[(t.baseA + kg * p.m + row) / 4u]; }
      As[kk * WG_Y + qr] = v;
    } else {
      let qk = i % (TILE_K / 4u);
      let r = i / (TILE_K / 4u);
      let row = t.row0 + r;
      let kg = k0 + 4u * qk;
      var v = vec4<f32>();
      if (row < p.m && kg < p.k) { v = a4[(t.baseA + row * p.k + kg) / 4u]; }
      for (var j = 0u; j < 4u; j++) { As[(4u * qk + j) * WG_Y + r / 4u][r % 4u] = v[j]; }
    }
  }
  for (var i = li; i < TILE_K * WG_X; i += WG_X * WG_Y) {
    if (TRANS_B) {
      let qk = i % (TILE_K / 4u);
      let q = i / (TILE_K / 4u);
      let col = t.col0 + q;
      let kg = k0 + 4u * qk;
      var v = vec4<f32>();
      if (col < p.n && kg < p.k) { v = b4[(t.baseB + col * p.k + kg) / 4u]; }
      for (var j = 0u; j < 4u; j++) { Bs[(4u * qk + j) * WG_X + q / 4u][q % 4u] = v[j]; }
    } else {
      let qc = i % WG_X;
      let kk = i / WG_X;
      let col = t.col0 + 4u * qc;
      let kg = k0 + kk;
      var v = vec4<f32>();
      if (col < p.n && kg < p.k) { v = b4[(t.baseB + kg * p.n + col) / 4u]; }
      Bs[kk * WG_X + qc] = v;
    }
  }
}

// 16 FMAs per two workgroup-memory vec4 reads.
fn accumulate(acc: ptr<function, array<vec4<f32>, 4>>, lid: vec3<u32>) {
  for (var kk = 0u; kk < TILE_K; kk++) {
    let av = As[kk * WG_Y + lid.y];
    let bv = Bs[kk * WG_X + lid.x];
    (*acc)[0] += av.x * bv;
    (*acc)[1] += av.y * bv;
    (*acc)[2] += av.z * bv;
    (*acc)[3] += av.w * bv;
  }
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let t = tileOf(wid);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.k; k0 += TILE_K) {
    loadScalar(t, k0, li);
    workgroupBarrier();
    accumulate(&acc, lid);
    workgroupBarrier();
  }
  let col = t.col0 + 4u * lid.x;
  for (var i = 0u; i < 4u; i++) {
    let row = t.row0 + 4u * lid.y + i;
    if (row >= p.m) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (col + j >= p.n) { break; }
      let at = t.baseC + row * p.n + col + j;
      var v = p.alpha * acc[i][j];
      // beta == 0 must not read C: it may hold garbage (NaN) that 0 * NaN would keep.
      if (p.beta != 0.0) { v += p.beta * c[at]; }
      c[at] = v;
    }
  }
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn mainVec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
            @builtin(local_invocation_index) li: u32) {
  let t = tileOf(wid);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.k; k0 += TILE_K) {
    loadVec4(t, k0, li);
    workgroupBarrier();
    accumulate(&acc, lid);
    workgroupBarrier();
  }
  let col = t.col0 + 4u * lid.x;
  if (col >= p.n) { return; }
  for (var i = 0u; i < 4u; i++) {
    let row = t.row0 + 4u * lid.y + i;
    if (row >= p.m) { break; }
    let at = (t.baseC + row * p.n + col) / 4u;
    var v = p.alpha * acc[i];
    if (p.beta != 0.0) { v += p.beta * c4[at]; }
    c4[at] = v;
  }
}
