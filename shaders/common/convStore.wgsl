// The plain epilogue of conv2dForwardDirect.wgsl: writes the invocation's block of 4
// output channels x 4 pixels (acc[channel][pixel]) starting at channel co0, pixel ox0 of
// row oy of image b, skipping channels past cout and pixels past wo.
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn storeBlock(b: u32, co0: u32, oy: u32, ox0: u32, acc: array<vec4<f32>, 4>) {
  let hwo = p.ho * p.wo;
  for (var i = 0u; i < 4u; i++) {
    let co = co0 + i;
    if (co >= p.cout) { break; }
    let at = (b * p.cout + co) * hwo + oy * p.wo + ox0;
    for (var j = 0u; j < 4u; j++) {
      if (ox0 + j < p.wo) { y[at + j] = acc[i][j]; }
    }
  }
}
