// The inner step of the direct conv kernels (forward and input gradient), generated per
// geometry: one row of the operand is loaded once into registers and every tap along the
// row reuses it. An invocation owns 4 channels x 8 (or 4, rowTapsPx) adjacent pixels; for one row it
// loads each distinct row value once (through the kernel's bounds-checked
// `fn load(row: u32, at: i32) -> f32`) and the 4 weights of each tap, and adds weight x value
// into its accumulators. The code is written out in full: software rasterisers
// (SwiftShader) keep named values and constant-indexed arrays in registers but not a private
// array indexed in a loop, and loading each tap separately left the kernels bound by their
// bounds-checked loads (row reuse measured ~2.6x faster on the 3x3 forward).

/** The longest row segment a generated step loads with 8 pixels per invocation; past it
 * (strides of 3 and up, wide kernels at stride 2) the step covers 4 pixels. SwiftShader's
 * compile time grows steeply with the segment: 3x3 at stride 2 (17 values) compiles in
 * ~0.2 s, 7x7 at stride 2 (21) in ~2 s, 3x3 at stride 3 (24) in ~12 s and 5x5 at stride 3
 * (26) in ~44 s, against 0.1 s with 4 pixels. */
const MAX_SEGMENT = 18;

/** Pixels per invocation of the step for `g`: 8, or 4 where 8 would load a row segment
 * longer than MAX_SEGMENT. */
export function rowTapsPx(g: RowTaps): 4 | 8 {
  return 7 * g.pxStep + g.taps <= MAX_SEGMENT ? 8 : 4;
}

/** Where tap t of pixel j reads along the row: at + t * tapStep + j * pxStep, and which
 * weight it multiplies: wt[rows[c] + k + t * wStep] for channel c of the block. */
export interface RowTaps {
  /** Taps along the row (0 allowed: the step does nothing). */
  taps: number;
  tapStep: 1 | -1;
  pxStep: number;
  wStep: number;
}

/**
 * WGSL declaring, for geometry `g`:
 * - `const DIRECT_PX`, the pixels per invocation (rowTapsPx);
 * - `alias Acc = array<vec4<f32>, DIRECT_PX>`: acc[group * 4 + channel][pixel of the group];
 * - `fn rowTaps(acc: ptr<function, Acc>, row: u32, at: i32, k: u32, rows: vec4<u32>)`;
 * - `fn storeGroups(blk: Block, acc: Acc)`, calling the kernel's
 *   `fn storeGroup(blk: Block, dx0: u32, a: array<vec4<f32>, 4>)` once per group of 4 pixels
 *   (dx0: the group's first pixel relative to the block's).
 */
export function rowTapsWgsl(g: RowTaps): string {
  if (!Number.isInteger(g.taps) || g.taps < 0) throw new RangeError(`rowTaps: taps must be a non-negative integer, got ${g.taps}`);
  const px = rowTapsPx(g);
  const groups = px / 4;
  const offset = (t: number, j: number) => t * g.tapStep + j * g.pxStep;
  const used = new Set<number>();
  for (let t = 0; t < g.taps; t++) for (let j = 0; j < px; j++) used.add(offset(t, j));
  const name = (o: number) => (o < 0 ? `vm${-o}` : `v${o}`);
  const at = (o: number) => (o === 0 ? 'at' : o > 0 ? `at + ${o}` : `at - ${-o}`);
  const body = [...used].sort((a, b) => a - b).map((o) => `  let ${name(o)} = load(row, ${at(o)});`);
  for (let t = 0; t < g.taps; t++) {
    const k = t * g.wStep === 0 ? 'k' : `k + ${t * g.wStep}u`;
    body.push(`  let w${t} = vec4<f32>(wt[rows.x + ${k}], wt[rows.y + ${k}], wt[rows.z + ${k}], wt[rows.w + ${k}]);`);
    for (let q = 0; q < groups; q++) {
      const v = `vec4<f32>(${[0, 1, 2, 3].map((i) => name(offset(t, 4 * q + i))).join(', ')})`;
      for (const [c, lane] of ['x', 'y', 'z', 'w'].entries()) {
        const a = `(*acc)[${4 * q + c}]`;
        body.push(`  ${a} = fma(vec4<f32>(w${t}.${lane}), ${v}, ${a});`);
      }
    }
  }
  const stores = Array.from({ length: groups }, (_, q) => {
    const a = [0, 1, 2, 3].map((c) => `acc[${4 * q + c}]`).join(', ');
    return `  storeGroup(blk, ${4 * q}u, array<vec4<f32>, 4>(${a}));`;
  });
  return [
    `const DIRECT_PX = ${px}u;`,
    `alias Acc = array<vec4<f32>, ${px}>;`,
    `fn rowTaps(acc: ptr<function, Acc>, row: u32, at: i32, k: u32, rows: vec4<u32>) {\n${body.join('\n')}\n}`,
    `fn storeGroups(blk: Block, acc: Acc) {\n${stores.join('\n')}\n}`,
    '',
  ].join('\n');
}
