// The generated entry point of the direct filter-gradient kernel
// (shaders/conv2dBackwardFilterDirect.wgsl holds its fixed helpers): WGSL text unrolled for
// one kernel geometry (taps kh x kw, stride, pixels per run, input channels and tap rows
// per invocation), so every register is a named `let` or `var`. Software rasterisers
// (SwiftShader) keep private arrays in memory and pay for each bounds-checked load about
// as much as for several FMAs; unrolled, each loaded value feeds up to kh*kw*4 FMAs.

/** What one generated kernel is specialised for. */
export interface FilterGradGeometry {
  kw: number;
  stride: number;
  /** Adjacent output pixels per run (one dY load per pixel and output channel). */
  px: number;
  /** Input channels per invocation. */
  ci: number;
  /** Tap rows per invocation (of kh; the kernel skips rows past the last). */
  ky: number;
}

/** The name suffix of a geometry's kernel. */
export function geometryTag(g: FilterGradGeometry): string {
  return `ky${g.ky}kw${g.kw}s${g.stride}px${g.px}ci${g.ci}`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The WGSL `main` of geometry g (needs the helpers of conv2dBackwardFilterDirect.wgsl). */
export function filterGradMain(g: FilterGradGeometry): string {
  const { kw, stride: s, px, ci, ky } = g;
  // Offsets under the run that some tap reads (with stride > kw, not all of them).
  const used = [...new Set(range(px).flatMap((q) => range(kw).map((kx) => q * s + kx)))].sort((a, b) => a - b);
  const acc = (c: number, j: number, kx: number) => `a${c}_${j}_${kx}`;
  const taps = range(ci).flatMap((c) => range(ky).flatMap((j) => range(kw).map((kx) => [c, j, kx] as const)));
  const body: string[] = [];
  body.push(...range(px).map((q) => `      let d${q} = dyAt(rows, drow + ox + ${q}u, ${q === 0 ? 'true' : `ox + ${q}u < p.wo`});`));
  for (const j of range(ky)) {
    body.push(`      if (tapRow(iy0 + ${j}, blk.ky0 + ${j}u)) {`, `        let xr = xImg + u32(iy0 + ${j}) * p.w;`);
    for (const c of range(ci)) {
      body.push(`        let r${c} = xr + xc${c};`);
      body.push(...used.map((u) => `        let s${c}_${u} = xAt(r${c}, ix0 + ${u});`));
      for (const kx of range(kw)) {
        const a = acc(c, j, kx);
        // One store per tap and run: each store to a `var` is a masked read-modify-write
        // on SwiftShader, so a tap's px FMAs are one expression.
        let expr = a;
        for (const q of range(px)) expr = `fma(d${q}, vec4<f32>(s${c}_${q * s + kx}), ${expr})`;
        body.push(`        ${a} = ${expr};`);
      }
    }
    body.push('      }');
  }
  return [
    'override WG: u32 = 64;',
    '',
    '@compute @workgroup_size(WG)',
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
    '  let t = flatIndex(gid, nwg, WG);',
    '  if (t >= p.n) { return; }',
    `  let blk = filterBlock(t, ${ci}u, ${ky}u);`,
    '  let howo = p.ho * p.wo;',
    '  let rows = clampedRows(blk.m0, p.M, howo);',
    ...range(ci).map((c) => `  let xc${c} = channelPlane(blk.ci0 + ${c}u);`),
    '  let begin = gid.z * p.chunk;',
    '  let end = min(p.K, begin + p.chunk);',
    ...taps.map(([c, j, kx]) => `  var ${acc(c, j, kx)} = vec4<f32>(0.0);`),
    // One loop over the chunk's runs (a nested loop over a row's runs cost SwiftShader
    // ~1.8x on 8-pixel rows); the divisions per run are cheap beside its FMAs.
    `  let runs = (p.wo + ${px - 1}u) / ${px}u;`,
    '  for (var u = begin * runs; u < end * runs; u++) {',
    '    let r = u / runs;',
    `    let ox = (u % runs) * ${px}u;`,
    '    let b = r / p.ho;',
    '    let oy = r % p.ho;',
    '    let drow = b * p.M * howo + oy * p.wo;',
    '    let xImg = b * p.cin * p.h * p.w;',
    '    let iy0 = windowStart(oy) + i32(blk.ky0);',
    '    {',
    '      let ix0 = windowStart(ox);',
    ...body,
    '    }',
    '  }',
    ...taps.map(([c, j, kx]) => `  storeTap(gid.z, blk.m0, blk.ci0 + ${c}u, blk.ky0 + ${j}u, ${kx}u, ${acc(c, j, kx)});`),
    '}',
  ].join('\n');
}
