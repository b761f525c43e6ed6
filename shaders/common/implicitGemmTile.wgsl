// Shared by the implicit-GEMM convolutions (conv2dForward, conv2dBackwardInput): the tile
// sizes, the K-major workgroup tiles and the 4x4 register-block multiply of one K slice.
// Each kernel fills As (TM rows) and Bs (TN columns) its own way, then calls gemmTileFma.

override TM: u32 = 64;
override TN: u32 = 64;
override TK: u32 = 16;

// K-major tiles. As has one pad column so that its K-fastest stores spread over banks.
var<workgroup> As: array<f32, TK * (TM + 1u)>;
var<workgroup> Bs: array<f32, TK * TN>;

// A workgroup's output tile once its column origin n0 is known (computed in the kernel,
// where the early return must stay in uniform control flow): row origin m0, this
// invocation's index tid among the nt of the workgroup, and the one column `col` it
// gathers into Bs. nt is a multiple of TN (TM % 16 == 0), so that column is the same on
// every K slice and its pixel can be decoded once, outside the K loop.
struct GemmTile { n0: u32, m0: u32, tid: u32, nt: u32, col: u32 }

fn gemmTileOf(lid: vec3<u32>, wid: vec3<u32>, n0: u32) -> GemmTile {
  let tid = lid.y * (TN / 4u) + lid.x;
  return GemmTile(n0, wid.y * TM, tid, (TN / 4u) * (TM / 4u), tid % TN);
}

// Rows ty + i*TM/4 and columns tx + j*TN/4 (strided, not contiguous 4x4): neighbouring
// invocations read neighbouring Bs words and later write neighbouring outputs.
fn gemmTileFma(lid: vec3<u32>, acc: ptr<function, array<vec4<f32>, 4>>) {
  let amp = TM + 1u;
  for (var kl = 0u; kl < TK; kl++) {
    let bRow = kl * TN + lid.x;
    let b = vec4<f32>(Bs[bRow], Bs[bRow + TN / 4u], Bs[bRow + TN / 2u], Bs[bRow + 3u * (TN / 4u)]);
    for (var i = 0u; i < 4u; i++) {
      (*acc)[i] = fma(vec4<f32>(As[kl * amp + lid.y + i * (TM / 4u)]), b, (*acc)[i]);
    }
  }
}
