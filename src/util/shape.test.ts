import { describe, expect, it } from 'vitest';
import { conv2dOutShape, convOutSize, product } from './shape';

describe('shape math', () => {
  it('computes convolution output sizes', () => {
    expect(convOutSize(32, 3, 1, 1)).toBe(32);
    expect(convOutSize(32, 3, 2, 1)).toBe(16);
    expect(convOutSize(7, 3, 2, 1)).toBe(4);
    expect(convOutSize(7, 1, 2, 0)).toBe(4);
    expect(conv2dOutShape({ n: 1, cin: 3, h: 9, w: 5, cout: 4, kh: 3, kw: 1, stride: 2, pad: 0 })).toEqual({ ho: 4, wo: 3 });
  });
  it('rejects empty outputs', () => {
    expect(() => convOutSize(2, 5, 1, 0)).toThrow(/empty/);
  });
  it('multiplies dims', () => {
    expect(product([2, 3, 4])).toBe(24);
    expect(product([])).toBe(1);
  });
});
