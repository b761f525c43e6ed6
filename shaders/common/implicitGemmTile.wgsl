// The implicit-GEMM convolutions (conv2dForward, conv2dBackwardInput): C[m, n] = sum over
// k < K of A[m, k] * B[k, n] for m < M, n < N, the operands gathered on the fly (no im2col
// buffer). TM x TN output tile per workgroup, 4x4 register block per invocation, TK-deep
// K slices staged in workgroup memory. The two barriers per K slice are costly on
// SwiftShader (the test driver) but cheap on the real GPUs this targets. Not a kernel:
// appended by withGemmTile (src/gpu/kernels/implicitGemm.ts) to a shader that declares
//   struct GemmCol                      what column n's gathers need, decoded once
//   fn gemmColumn(n: u32) -> GemmCol
//   fn gemmA(m: u32, k: u32) -> f32     A[m, k] for m < M, k < K
//   fn gemmB(c: GemmCol, k: u32) -> f32  B[k, n] for n < N, k < K (zero in the padding)
//   fn gemmOut(n: u32) -> u32           where C[0, n] goes; C[m, n] is gemmRowStride() * m further
//   fn gemmRowStride() -> u32
//   fn gemmStore(at: u32, v: f32)        writes (or adds) one C value

override TM: u32 = 64;
override TN: u32 = 64;
override TK: u32 = 16;

// K-major tiles. As has one pad column so that its K-fastest stores spread over banks.
var<workgroup> As: array<f32, TK * (TM + 1u)>;
var<workgroup> Bs: array<f32, TK * TN>;

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

@compute @workgroup_size(TN / 4u, TM / 4u)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let n0 = (wid.x + wid.z * nwg.x) * TN;
  if (n0 >= p.N) { return; } // whole workgroup (grid folded into z), so barriers stay uniform
  let m0 = wid.y * TM;
  let tid = lid.y * (TN / 4u) + lid.x;
  // nt is a multiple of TN (TM % 16 == 0), so the one column an invocation gathers into Bs
  // is the same on every K slice and its pixel is decoded once, outside the K loop.
  let nt = (TN / 4u) * (TM / 4u);
  let col = tid % TN;
  let colOk = n0 + col < p.N;
  let c = gemmColumn(n0 + col);
  let amp = TM + 1u;

  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // A: K fastest across invocations, so rows of A are read contiguously.
    for (var e = tid; e < TM * TK; e += nt) {
      let ml = e / TK;
      let kl = e % TK;
      let m = m0 + ml;
      let k = k0 + kl;
      var v = 0.0;
      if (m < p.M && k < p.K) { v = gemmA(m, k); }
      As[kl * amp + ml] = v;
    }
    // B: columns (pixels) fastest across invocations, so neighbouring invocations read
    // neighbouring pixels.
    for (var kl = tid / TN; kl < TK; kl += nt / TN) {
      let k = k0 + kl;
      var v = 0.0;
      if (colOk && k < p.K) { v = gemmB(c, k); }
      Bs[kl * TN + col] = v;
    }
    workgroupBarrier();
    gemmTileFma(lid, &acc);
    workgroupBarrier();
  }

  let stride = gemmRowStride();
  for (var j = 0u; j < 4u; j++) {
    let n = n0 + lid.x + j * (TN / 4u);
    if (n >= p.N) { continue; }
    let base = gemmOut(n);
    for (var i = 0u; i < 4u; i++) {
      let m = m0 + lid.y + i * (TM / 4u);
      if (m < p.M) { gemmStore(base + m * stride, acc[i][j]); }
    }
  }
}
