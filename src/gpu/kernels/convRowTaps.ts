// The inner step of the direct conv kernels (forward and input gradient), generated per
// geometry: one row of the operand is loaded once into registers and every tap along the
// row reuses it. An invocation owns 4 channels x DIRECT_PX adjacent output pixels; for one
// row it loads each distinct row value once (through the kernel's bounds-checked
// `fn load(row: u32, at: i32) -> f32`) and the 4 channels' weights of each tap, and adds
// weight x value into the accumulator of each pixel the tap touches (a vec4 over the 4
// channels). The code is written out in full: software rasterisers (SwiftShader) keep named
// values and constant-indexed arrays in registers but not a private array indexed in a loop,
// and loading each tap separately left the kernels bound by their bounds-checked loads (row
// reuse measured ~2.6x faster on the 3x3 forward).

/** The most distinct row values a step loads before it covers fewer pixels. SwiftShader's
 * compile time grows steeply with them: the 3x3 forward at stride 2 (17 values for 8
 * pixels) compiles in ~0.2 s, 7x7 at stride 2 (21) in ~2 s, 3x3 at stride 3 (24) in ~12 s
 * and 5x5 at stride 3 (26) in ~44 s, against 0.1 s with 4 pixels. */
const MAX_SEGMENT = 18;

/** A generated row step: `px` pixels, `taps` taps along the row; tap t of pixel j reads the
 * row value at `at + offset(j, t)`, or does not touch pixel j (undefined), and multiplies
 * the weights wt[rows[c] + k + t] of the block's channels c. */
export interface RowTaps {
  px: number;
  taps: number;
  offset(j: number, t: number): number | undefined;
}

function offsets(g: RowTaps): number[] {
  const used = new Set<number>();
  for (let j = 0; j < g.px; j++)
    for (let t = 0; t < g.taps; t++) {
      const o = g.offset(j, t);
      if (o !== undefined) used.add(o);
    }
  return [...used].sort((a, b) => a - b);
}

/** The forward's step: output pixel j's tap kx reads input x0*stride - pad + j*stride + kx;
 * 8 pixels, or 4 where 8 would load more than MAX_SEGMENT values. */
export function forwardRowTaps(kw: number, stride: number): RowTaps {
  const of = (px: number): RowTaps => ({ px, taps: kw, offset: (j, t) => j * stride + t });
  return offsets(of(8)).length <= MAX_SEGMENT ? of(8) : of(4);
}

/** The input gradient's step without stride phases: dX pixel j (of a block starting at a
 * multiple of the stride, x0) gets tap kx from dY column (x0 + j + pad - kx) / stride when
 * that divides exactly, read at offset (j + pad - kx) / stride from x0 / stride. Pixels per
 * invocation: a multiple of the stride and of 4, at least 8. */
export function inputGradRowTaps(kw: number, stride: number, pad: number): RowTaps {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const px = Math.max(8, (4 * stride) / gcd(4, stride));
  return {
    px,
    taps: kw,
    offset: (j, t) => ((j + pad - t) % stride === 0 ? (j + pad - t) / stride : undefined),
  };
}

/**
 * WGSL declaring, for step `g`:
 * - `const DIRECT_PX`, the pixels per invocation;
 * - `alias Acc = array<vec4<f32>, DIRECT_PX>`: acc[pixel] over the block's 4 channels;
 * - `fn rowTaps(acc: ptr<function, Acc>, row: u32, at: i32, k: u32, rows: vec4<u32>)`;
 * - `fn storeGroups(blk: Block, acc: Acc)`, calling the kernel's
 *   `fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>)` once per group of 4 pixels
 *   (dx0: the group's first pixel relative to the block's; a[pixel][channel]).
 */
export function rowTapsWgsl(g: RowTaps): string {
  if (!Number.isInteger(g.taps) || g.taps < 0) throw new RangeError(`rowTaps: taps must be a non-negative integer, got ${g.taps}`);
  if (!Number.isInteger(g.px) || g.px < 4 || g.px % 4)
    throw new RangeError(`rowTaps: pixels must be a positive multiple of 4, got ${g.px}`);
  const name = (o: number) => (o < 0 ? `vm${-o}` : `v${o}`);
  const at = (o: number) => (o === 0 ? 'at' : o > 0 ? `at + ${o}` : `at - ${-o}`);
  const body = offsets(g).map((o) => `  let ${name(o)} = load(row, ${at(o)});`);
  const weight = (t: number) => (t === 0 ? 'k' : `k + ${t}u`);
  const usedTaps = new Set<number>();
  const sums: string[] = [];
  for (let j = 0; j < g.px; j++) {
    // One store per pixel: each tap's FMA nests in the next (a store to a var is a masked
    // read-modify-write on SwiftShader).
    let expr = `(*acc)[${j}]`;
    for (let t = 0; t < g.taps; t++) {
      const o = g.offset(j, t);
      if (o === undefined) continue;
      usedTaps.add(t);
      expr = `fma(w${t}, vec4<f32>(${name(o)}), ${expr})`;
    }
    if (expr !== `(*acc)[${j}]`) sums.push(`  (*acc)[${j}] = ${expr};`);
  }
  for (const t of [...usedTaps].sort((a, b) => a - b))
    body.push(
      `  let w${t} = vec4<f32>(wt[rows.x + ${weight(t)}], wt[rows.y + ${weight(t)}], wt[rows.z + ${weight(t)}], wt[rows.w + ${weight(t)}]);`,
    );
  const stores = Array.from({ length: g.px / 4 }, (_, q) => {
    const a = [0, 1, 2, 3].map((i) => `acc[${4 * q + i}]`).join(', ');
    return `  storeGroup(blk, ${4 * q}u, array<vec4<f32>, 4>(${a}));`;
  });
  return [
    `const DIRECT_PX = ${g.px}u;`,
    `alias Acc = array<vec4<f32>, ${g.px}>;`,
    `fn rowTaps(acc: ptr<function, Acc>, row: u32, at: i32, k: u32, rows: vec4<u32>) {\n${[...body, ...sums].join('\n')}\n}`,
    `fn storeGroups(blk: Block, acc: Acc) {\n${stores.join('\n')}\n}`,
    '',
  ].join('\n');
}
