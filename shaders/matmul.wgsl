// Batched GEMM: C[bt] = alpha * op(A[bt]) @ op(B[bt]) + beta * C[bt], row-major f32,
// op(A) m x k, op(B) k x n, batches contiguous. One workgroup owns a (4*WG_Y) x (4*WG_X)
// tile of C, each invocation a 4x4 register block; K is staged through workgroup memory
// TILE_K deep. Transposes are resolved by the load stage: shaders/matmulScalar.wgsl loads
// scalars (any shape), shaders/matmulVec4.wgsl loads and stores vec4 (the host picks it when
// the contiguous dims are multiples of 4); either is appended and declares the bindings a,
// b, c and fn loadTiles / fn storeTile. Not a split-K kernel: each C element is summed by
// one invocation.
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
    loadTiles(t, k0, li);
    workgroupBarrier();
    accumulate(&acc, lid);
    workgroupBarrier();
  }
  storeTile(t, lid, acc);
}
