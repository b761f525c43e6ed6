// The scalar loads and stores of shaders/matmul.wgsl (any shape), appended to it.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;

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
fn loadTiles(t: Tile, k0: u32, li: u32) {
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

fn storeTile(t: Tile, lid: vec3<u32>, acc: array<vec4<f32>, 4>) {
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
