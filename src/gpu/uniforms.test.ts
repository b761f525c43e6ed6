import { describe, expect, it } from 'vitest';
import { packUniforms, planUniforms, type UniformLayout } from './uniforms';

describe('uniform packing', () => {
  it('follows WGSL alignment: vec3 aligns to 16, vec2 to 8, size rounds to 16', () => {
    const layout: UniformLayout = [
      ['a', 'u32'],
      ['b', 'vec3<f32>'],
      ['c', 'f32'],
      ['d', 'vec2<u32>'],
      ['e', 'i32'],
    ];
    const plan = planUniforms(layout);
    expect(plan.fields.map((f) => f.offset)).toEqual([0, 16, 28, 32, 40]);
    expect(plan.byteSize).toBe(48);
  });

  it('writes little-endian values at the planned offsets', () => {
    const layout: UniformLayout = [
      ['n', 'u32'],
      ['alpha', 'f32'],
      ['off', 'i32'],
      ['v', 'vec4<u32>'],
    ];
    const buf = packUniforms(layout, { n: 7, alpha: 0.5, off: -3, v: [1, 2, 3, 4] });
    const dv = new DataView(buf);
    expect(dv.getUint32(0, true)).toBe(7);
    expect(dv.getFloat32(4, true)).toBe(0.5);
    expect(dv.getInt32(8, true)).toBe(-3);
    expect([16, 20, 24, 28].map((o) => dv.getUint32(o, true))).toEqual([1, 2, 3, 4]);
  });

  it('rejects missing, unknown, non-integer and out-of-range values', () => {
    const layout: UniformLayout = [['n', 'u32']];
    expect(() => packUniforms(layout, {})).toThrow(/missing/);
    expect(() => packUniforms(layout, { n: 1, m: 2 })).toThrow(/not in the layout/);
    expect(() => packUniforms(layout, { n: 1.5 })).toThrow(/integer/);
    expect(() => packUniforms(layout, { n: -1 })).toThrow(/u32 range/);
  });
});
