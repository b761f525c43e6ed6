// The plain epilogue of conv2dForwardDirect.wgsl: writes one group of 4 output channels x 4
// pixels (a[pixel][channel]) of the invocation's block, the group starting dx0 pixels into
// it, skipping channels past cout and pixels past wo.
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>) {
  let ox0 = blk.x0 + dx0;
  if (ox0 >= p.wo) { return; }
  let valid = min(4u, p.wo - ox0);
  let hwo = p.ho * p.wo;
  for (var i = 0u; i < 4u; i++) {
    let co = blk.c0 + i;
    if (co >= p.cout) { break; }
    let at = (blk.b * p.cout + co) * hwo + blk.row * p.wo + ox0;
    for (var j = 0u; j < valid; j++) { y[at + j] = a[j][i]; }
  }
}
