// Filter gradient of an NCHW 2-D convolution (common/convFilterGrad.wgsl) as a tiled GEMM:
// workgroup (x, y, z) computes one TM x TN output tile over the z-th chunk of K, staging
// dy and im2col(x) through workgroup memory. Not the input gradient (conv2dBackwardInput).
override TM: u32 = 32; // 16, 32 or 64: rows per tile, chosen from cout so narrow layers waste no FMAs
override TN: u32 = 32; // a multiple of 4
override TK: u32 = 16; // must divide the invocation count (TN/4) * WG_Y
// TN/4 x WG_Y invocations, each owning RM rows (strided by WG_Y) x 4 adjacent columns (one
// vec4). RM is at most MAX_ROWS, the size of the accumulator array.
override RM: u32 = 4;
override WG_Y: u32 = TM / RM;
const MAX_ROWS: u32 = 8u;

// Tiles are K-major ([TK][rows]): the loads walk j fastest (coalesced in global memory), so
// they write columns here; the padded row strides spread those writes over banks. B is read
// as one vec4 per invocation and K step.
var<workgroup> aTile: array<f32, TK * (TM + 1u)>;
var<workgroup> bTile: array<vec4<f32>, TK * (TN / 4u + 1u)>;
// Per tile column c = (ci, ky, kx): (offset of x[ci, ky, kx] from x[0, 0, 0], ky, kx), decoded
// once per workgroup instead of once per loaded element.
var<workgroup> cols: array<vec4<i32>, TN>;

@compute @workgroup_size(TN / 4u, WG_Y)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let aStride = TM + 1u;
  let bStride = TN / 4u + 1u;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let kBegin = wid.z * p.chunk;
  let kEnd = min(p.K, kBegin + p.chunk);
  let t = lid.y * (TN / 4u) + lid.x;
  let howo = p.ho * p.wo;

  if (t < TN) { cols[t] = vec4<i32>(filterColumn(n0 + t), 0); }

  // An invocation loads K row jj of every tile (rows / column groups r0, r0 + rowStep, ...), so
  // it tracks that row's output pixel (b, oy, ox) with running counters: a few divisions up
  // front, none per tile or element.
  let jj = t % TK;
  let r0 = t / TK;
  let rowStep = (TN / 4u) * WG_Y / TK;
  let j0 = kBegin + jj;
  var b = j0 / howo;
  var oy = (j0 - b * howo) / p.wo;
  var ox = j0 - b * howo - oy * p.wo;
  let stepB = TK / howo;
  let stepY = (TK - stepB * howo) / p.wo;
  let stepX = TK - stepB * howo - stepY * p.wo;
  let chw = i32(p.cin * p.h * p.w);
  workgroupBarrier();

  var acc: array<vec4<f32>, MAX_ROWS>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
    let rowOk = k0 + jj < kEnd;
    let dyAt = (b * p.M + m0 + r0) * howo + oy * p.wo + ox;
    for (var mm = r0; mm < TM; mm += rowStep) {
      var v = 0.0;
      if (rowOk && m0 + mm < p.M) { v = dy[dyAt + (mm - r0) * howo]; }
      aTile[jj * aStride + mm] = v;
    }
    let iy0 = windowStart(oy);
    let ix0 = windowStart(ox);
    let xAt = i32(b) * chw + iy0 * i32(p.w) + ix0;
    // Four adjacent columns per vec4 store (column group g), read as one vec4 below.
    for (var g = r0; g < TN / 4u; g += rowStep) {
      var v = vec4<f32>();
      for (var c = 0u; c < 4u; c++) {
        let col = cols[4u * g + c];
        if (rowOk && inImage(iy0 + col.y, ix0 + col.z)) { v[c] = x[u32(xAt + col.x)]; }
      }
      bTile[jj * bStride + g] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let bv = bTile[kk * bStride + lid.x];
      for (var i = 0u; i < RM; i++) {
        acc[i] = fma(vec4<f32>(aTile[kk * aStride + lid.y + i * WG_Y]), bv, acc[i]);
      }
    }
    workgroupBarrier();
    // Advance this invocation's K row by TK: each counter carries at most once.
    ox += stepX;
    oy += stepY;
    b += stepB;
    if (ox >= p.wo) { ox -= p.wo; oy += 1u; }
    if (oy >= p.ho) { oy -= p.ho; b += 1u; }
  }

  for (var i = 0u; i < RM; i++) {
    for (var c = 0u; c < 4u; c++) { storeFilterGrad(wid.z, m0 + lid.y + i * WG_Y, n0 + 4u * lid.x + c, acc[i][c]); }
  }
}
