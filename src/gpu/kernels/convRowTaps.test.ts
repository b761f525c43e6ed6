// GPU-free: the generated row step loads each row value it needs exactly once, one weight
// vector per tap, and one FMA per (tap, channel, group); its numbers are checked on the GPU
// against the float64 reference by the direct conv tests.

import { describe, expect, it } from 'vitest';
import { reflectWgsl } from '../wgslReflect';
import { rowTapsPx, rowTapsWgsl, type RowTaps } from './convRowTaps';

const count = (code: string, re: RegExp) => (code.match(re) ?? []).length;

describe('rowTapsWgsl', () => {
  it.each([
    // forward: offsets kx + j*stride
    { label: '3x3 stride 1', g: { taps: 3, tapStep: 1, pxStep: 1, wStep: 1 } as const, px: 8, loads: 10 },
    { label: '3x3 stride 2', g: { taps: 3, tapStep: 1, pxStep: 2, wStep: 1 } as const, px: 8, loads: 17 },
    { label: '1x1 stride 2 (every other value)', g: { taps: 1, tapStep: 1, pxStep: 2, wStep: 1 } as const, px: 8, loads: 8 },
    {
      label: '5x5 stride 3 (4 pixels: 8 would take ~44 s to compile)',
      g: { taps: 5, tapStep: 1, pxStep: 3, wStep: 1 } as const,
      px: 4,
      loads: 14,
    },
    { label: '7x7 stride 2 (4 pixels)', g: { taps: 7, tapStep: 1, pxStep: 2, wStep: 1 } as const, px: 4, loads: 13 },
    // input gradient: offsets j - c, weights s apart
    { label: 'a phase with 2 taps at stride 2', g: { taps: 2, tapStep: -1, pxStep: 1, wStep: 2 } as const, px: 8, loads: 9 },
    { label: 'a phase without taps', g: { taps: 0, tapStep: -1, pxStep: 1, wStep: 2 } as const, px: 8, loads: 0 },
  ])('$label: each row value loaded once', ({ g, px, loads }) => {
    const code = rowTapsWgsl(g);
    expect(rowTapsPx(g)).toBe(px);
    expect(code).toContain(`const DIRECT_PX = ${px}u;`);
    expect(count(code, /= load\(row, /g)).toBe(loads);
    expect(count(code, /let w\d+ = vec4/g)).toBe(g.taps);
    expect(count(code, /= fma\(/g)).toBe(g.taps * px);
    expect(count(code, /storeGroup\(blk, /g)).toBe(px / 4);
    expect([...reflectWgsl(code).functions.keys()].sort()).toEqual(['rowTaps', 'storeGroups']);
  });

  it('reads weights wStep apart and row values at the tap and pixel offsets', () => {
    const code = rowTapsWgsl({ taps: 2, tapStep: -1, pxStep: 1, wStep: 3 });
    expect(code).toContain('let vm1 = load(row, at - 1);');
    expect(code).toContain('wt[rows.x + k + 3u]');
    // tap 1 of pixels 0..3 reads offsets -1..2
    expect(code).toContain('vec4<f32>(vm1, v0, v1, v2)');
  });

  it('never loads a segment longer than 18 values with 8 pixels', () => {
    for (let taps = 0; taps <= 11; taps++)
      for (let pxStep = 1; pxStep <= 4; pxStep++) {
        const g: RowTaps = { taps, tapStep: 1, pxStep, wStep: 1 };
        if (rowTapsPx(g) === 8) expect(7 * pxStep + taps, `${taps} taps, stride ${pxStep}`).toBeLessThanOrEqual(18);
      }
  });

  it('rejects a tap count that is not a non-negative integer', () => {
    expect(() => rowTapsWgsl({ taps: -1, tapStep: 1, pxStep: 1, wStep: 1 })).toThrow(/non-negative integer/);
    expect(() => rowTapsWgsl({ taps: 1.5, tapStep: 1, pxStep: 1, wStep: 1 })).toThrow(/non-negative integer/);
  });
});
