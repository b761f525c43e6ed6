// The plain epilogue of conv2dForward.wgsl: writes the invocation's 4 output channels
// (rows m0 + lid.y + i*TM/4) x 4 pixels (columns n0 + lid.x + j*TN/4), skipping those
// past M or N.
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn storeTile(n0: u32, m0: u32, lid: vec3<u32>, acc: array<vec4<f32>, 4>) {
  let hwo = p.ho * p.wo;
  for (var j = 0u; j < 4u; j++) {
    let n = n0 + lid.x + j * (TN / 4u);
    if (n >= p.N) { continue; }
    let base = (n / hwo) * p.M * hwo + n % hwo;
    for (var i = 0u; i < 4u; i++) {
      let m = m0 + lid.y + i * (TM / 4u);
      if (m < p.M) { y[base + m * hwo] = acc[i][j]; }
    }
  }
}
