import { describe, expect, it } from 'vitest';
import { decadeTicks, logScaleOf, rampColor, scalePosition } from './heatMapData';

describe('heat map scale', () => {
  it('spans whole decades around the positive finite values', () => {
    expect(logScaleOf([0, Number.NaN, 3e-4, 20, Infinity])).toEqual({ lo: -4, hi: 2 });
    expect(logScaleOf([5, 5])).toEqual({ lo: 0, hi: 1 });
    expect(logScaleOf([0, -1, Number.NaN])).toBeUndefined();
  });

  it('places values on the log scale, with no colour for missing ones', () => {
    const s = { lo: -2, hi: 2 };
    expect(scalePosition(s, 1)).toBeCloseTo(0.5, 12);
    expect(scalePosition(s, 1e-2)).toBe(0);
    expect(scalePosition(s, 1e9)).toBe(1);
    expect(scalePosition(s, 0)).toBeUndefined();
    expect(scalePosition(s, Number.NaN)).toBeUndefined();
    expect(rampColor(0)).toEqual([68, 1, 84]);
    expect(rampColor(1)).toEqual([253, 231, 37]);
    expect(decadeTicks({ lo: -8, hi: 4 })).toEqual([-8, -5, -2, 1, 4]);
  });
});
