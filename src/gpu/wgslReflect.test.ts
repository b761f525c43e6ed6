// The WGSL reflector on small shaders: bindings, access modes, structs, overrides,
// entry points, and the bindings and uniform fields each entry point uses.

import { describe, expect, it } from 'vitest';
import { reflectWgsl, stripComments, usedBindings, usedFields } from './wgslReflect';

const SHADER = `
// A comment mentioning @group(0) @binding(9) var<storage, read> ghost: array<f32>;
override WG: u32 = 64;
override FLAG: bool;
/* a block /* nested */ comment */
struct Params {
  n: u32, scale: f32,
  size: vec2<u32>,
}
struct Pair { a: f32, b: array<f32, 4> }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage> implicitRead: array<vec4<f32>>;
@group(0)
  @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;
@group(0) @binding(0) var<storage, read> x4: array<vec4<f32>>;
var<workgroup> tile: array<f32, WG>;

fn helper(i: u32) -> f32 { return x[i] * p.scale + 1e-6; }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= p.n) { return; }
  out[gid.x] = helper(gid.x);
}

@compute @workgroup_size(WG, 1)
fn wide(@builtin(global_invocation_id) gid: vec3<u32>) {
  out[gid.x] = x4[gid.x].x + implicitRead[0].y + f32(p.size.x);
}
`;

describe('reflectWgsl', () => {
  const r = reflectWgsl(SHADER);

  it('reads every binding with group, number, name, access and type, ignoring comments', () => {
    expect(r.bindings).toEqual([
      { group: 0, binding: 0, name: 'x', access: 'read', type: 'array<f32>' },
      { group: 0, binding: 1, name: 'implicitRead', access: 'read', type: 'array<vec4<f32>>' },
      { group: 0, binding: 2, name: 'out', access: 'read_write', type: 'array<f32>' },
      { group: 0, binding: 3, name: 'p', access: 'uniform', type: 'Params' },
      { group: 0, binding: 0, name: 'x4', access: 'read', type: 'array<vec4<f32>>' },
    ]);
  });

  it('reads struct fields (trailing commas, nested generics) and override constants', () => {
    expect(r.structs.Params).toEqual([
      { name: 'n', type: 'u32' },
      { name: 'scale', type: 'f32' },
      { name: 'size', type: 'vec2<u32>' },
    ]);
    expect(r.structs.Pair).toEqual([
      { name: 'a', type: 'f32' },
      { name: 'b', type: 'array<f32,4>' },
    ]);
    expect(r.overrides).toEqual([
      { name: 'WG', type: 'u32', defaultValue: '64' },
      { name: 'FLAG', type: 'bool', defaultValue: undefined },
    ]);
    expect(r.entryPoints).toEqual(['main', 'wide']);
  });

  it('finds the bindings and uniform fields each entry point uses, through called functions', () => {
    expect(usedBindings(r, 'main').map((b) => b.name)).toEqual(['x', 'out', 'p']);
    expect(usedBindings(r, 'wide').map((b) => b.name)).toEqual(['x4', 'implicitRead', 'out', 'p']);
    expect([...usedFields(r, 'main', 'p')].sort()).toEqual(['n', 'scale']);
    expect([...usedFields(r, 'wide', 'p')]).toEqual(['size']);
  });

  it('throws on what it cannot read instead of guessing', () => {
    expect(() => usedBindings(r, 'helper')).toThrow(/no entry point "helper" \(the shader has main, wide\)/);
    expect(() => reflectWgsl('@binding(0) var<storage, read> x: array<f32>;')).toThrow(/needs both @group and @binding/);
    expect(() => reflectWgsl('@group(0) @binding(0) var<private> x: f32;')).toThrow(/unsupported address space/);
    expect(() => reflectWgsl('struct S { @align(16) a: f32 }')).toThrow(/cannot read field/);
    expect(() => reflectWgsl('@group(0) @binding(0) var<uniform> p: P;\n@group(0) @binding(1) var<uniform> p: P;')).toThrow(
      /declared twice/,
    );
  });

  it('strips line and nested block comments but keeps line breaks', () => {
    expect(stripComments('a // b\nc /* d /* e */ f */ g')).toBe('a \nc  g');
  });
});
