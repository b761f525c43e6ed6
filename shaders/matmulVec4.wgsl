// The vec4 loads and stores of shaders/matmul.wgsl, appended to it when the contiguous
// dimension of A, B and C is a multiple of 4.

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;

// vec4 staging. With the contiguous dimension a multiple of 4, a vec4 is wholly in or out
// of range. Operands contiguous along m / n land in workgroup memory as they are; those
// contiguous along k are scattered into 4 k-rows (a small bank conflict, paid once per tile,
// in exchange for coalesced global reads).
fn loadTiles(t: Tile, k0: u32, li: u32) {
  for (var i = li; i < TILE_K * WG_Y; i += WG_X * WG_Y) {
    if (TRANS_A) {
      let qr = i % WG_Y;
      let kk = i / WG_Y;
      let row = t.row0 + 4u * qr;
      let kg = k0 + kk;
      var v = vec4<f32>();
      if (row < p.m && kg < p.k) { v = a[(t.baseA + kg * p.m + row) / 4u]; }
      As[kk * WG_Y + qr] = v;
    } else {
      let qk = i % (TILE_K / 4u);
      let r = i / (TILE_K / 4u);
      let row = t.row0 + r;
      let kg = k0 + 4u * qk;
      var v = vec4<f32>();
      if (row < p.m && kg < p.k) { v = a[(t.baseA + row * p.k + kg) / 4u]; }
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
      if (col < p.n && kg < p.k) { v = b[(t.baseB + col * p.k + kg) / 4u]; }
      for (var j = 0u; j < 4u; j++) { Bs[(4u * qk + j) * WG_X + q / 4u][q % 4u] = v[j]; }
    } else {
      let qc = i % WG_X;
      let kk = i / WG_X;
      let col = t.col0 + 4u * qc;
      let kg = k0 + kk;
      var v = vec4<f32>();
      if (col < p.n && kg < p.k) { v = b[(t.baseB + kg * p.n + col) / 4u]; }
      Bs[kk * WG_X + qc] = v;
    }
  }
}

fn storeTile(t: Tile, lid: vec3<u32>, acc: array<vec4<f32>, 4>) {
  let col = t.col0 + 4u * lid.x;
  if (col >= p.n) { return; }
  for (var i = 0u; i < 4u; i++) {
    let row = t.row0 + 4u * lid.y + i;
    if (row >= p.m) { break; }
    let at = (t.baseC + row * p.n + col) / 4u;
    var v = p.alpha * acc[i];
    // beta == 0 must not read C (see matmulScalar.wgsl).
    if (p.beta != 0.0) { v += p.beta * c[at]; }
    c[at] = v;
  }
}
