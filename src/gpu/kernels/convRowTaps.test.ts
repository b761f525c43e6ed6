// GPU-free: the generated row step loads each row value it needs exactly once, one weight
// vector per tap, and exactly the (pixel, tap) products the geometry has; its numbers are
// checked on the GPU against the float64 reference by the direct conv tests.

import { describe, expect, it } from 'vitest';
import { reflectWgsl } from '../wgslReflect';
import { forwardRowTaps, inputGradRowTaps, rowTapsWgsl } from './convRowTaps';

const count = (code: string, re: RegExp) => (code.match(re) ?? []).length;

describe('rowTapsWgsl', () => {
  it.each([
    // forward: pixel j, tap kx reads j*stride + kx
    { label: 'forward 3x3 stride 1', g: forwardRowTaps(3, 1), px: 8, loads: 10, products: 24 },
    { label: 'forward 3x3 stride 2', g: forwardRowTaps(3, 2), px: 8, loads: 17, products: 24 },
    { label: 'forward 1x1 stride 2 (every other value)', g: forwardRowTaps(1, 2), px: 8, loads: 8, products: 8 },
    { label: 'forward 5x5 stride 3 (4 pixels: 8 took ~44 s to compile)', g: forwardRowTaps(5, 3), px: 4, loads: 14, products: 20 },
    { label: 'forward 7x7 stride 2 (4 pixels)', g: forwardRowTaps(7, 2), px: 4, loads: 13, products: 28 },
    // input gradient: pixel j gets tap kx where (j + pad - kx) divides by the stride
    { label: 'input gradient 3x3 stride 1 pad 1', g: inputGradRowTaps(3, 1, 1), px: 8, loads: 10, products: 24 },
    { label: 'input gradient 3x3 stride 2 pad 1 (1 or 2 taps per pixel)', g: inputGradRowTaps(3, 2, 1), px: 8, loads: 5, products: 12 },
    { label: 'input gradient 1x1 stride 2 (odd pixels get nothing)', g: inputGradRowTaps(1, 2, 0), px: 8, loads: 4, products: 4 },
    { label: 'input gradient 5x5 stride 3 pad 2 (12 pixels)', g: inputGradRowTaps(5, 3, 2), px: 12, loads: 5, products: 20 },
  ])('$label: each row value loaded once, each product once', ({ g, px, loads, products }) => {
    const code = rowTapsWgsl(g);
    expect(g.px).toBe(px);
    expect(code).toContain(`const DIRECT_PX = ${px}u;`);
    expect(count(code, /= load\(row, /g)).toBe(loads);
    expect(count(code, /fma\(w\d+, /g)).toBe(products);
    expect(count(code, /storeGroup\(blk, /g)).toBe(px / 4);
    expect([...reflectWgsl(code).functions.keys()].sort()).toEqual(['rowTaps', 'storeGroups']);
  });

  it('the input gradient at stride 2 reads dY column (j + pad - kx) / 2 for pixel j, tap kx', () => {
    const code = rowTapsWgsl(inputGradRowTaps(3, 2, 1));
    // pixel 0: taps 1 (offset 0); pixel 1: taps 0 (offset 1) and 2 (offset 0)
    expect(code).toContain('(*acc)[0] = fma(w1, vec4<f32>(v0), (*acc)[0]);');
    expect(code).toContain('(*acc)[1] = fma(w2, vec4<f32>(v0), fma(w0, vec4<f32>(v1), (*acc)[1]));');
    expect(code).toContain('wt[rows.x + k + 2u]');
  });

  it('never loads more than 18 row values with 8 forward pixels', () => {
    for (let kw = 1; kw <= 11; kw++)
      for (let stride = 1; stride <= 4; stride++) {
        const g = forwardRowTaps(kw, stride);
        const loads = count(rowTapsWgsl(g), /= load\(row, /g);
        if (g.px === 8) expect(loads, `${kw} taps, stride ${stride}`).toBeLessThanOrEqual(18);
      }
  });

  it('puts the input gradient block on a multiple of the stride and of 4', () => {
    for (let stride = 1; stride <= 8; stride++) {
      const { px } = inputGradRowTaps(3, stride, 1);
      expect(px % stride, `stride ${stride}`).toBe(0);
      expect(px % 4, `stride ${stride}`).toBe(0);
    }
  });

  it('rejects a tap count that is not a non-negative integer, and pixels not a multiple of 4', () => {
    const offset = () => 0;
    expect(() => rowTapsWgsl({ px: 8, taps: -1, offset })).toThrow(/non-negative integer/);
    expect(() => rowTapsWgsl({ px: 8, taps: 1.5, offset })).toThrow(/non-negative integer/);
    expect(() => rowTapsWgsl({ px: 6, taps: 1, offset })).toThrow(/multiple of 4/);
  });
});
