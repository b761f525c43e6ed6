// GPU-free: every shader reflects, every kernel descriptor derives its bindings and
// uniform layout from its WGSL, every .wgsl is dispatched by some descriptor, and the
// element-wise name list matches the functions of shaders/elementwise.wgsl.

import { describe, expect, it } from 'vitest';
import type { KernelSpec } from '../kernel';
import { planUniforms } from '../uniforms';
import { reflectWgsl } from '../wgslReflect';
import elementwiseWgsl from '../../../shaders/elementwise.wgsl?raw';
import { ELEMENTWISE } from './elementwise';
import { conv2dBackwardInputDirectMain } from './conv2dBackwardInputDirect';
import { conv2dForwardDirectKernel } from './conv2dForwardDirect';
import { plainGradKernel } from './convGradEpilogue';

const shaders = import.meta.glob<string>('../../../shaders/**/*.wgsl', { query: '?raw', import: 'default', eager: true });
const modules = import.meta.glob<Record<string, unknown>>('./*.ts', { eager: true });

function isSpec(v: unknown): v is KernelSpec {
  return typeof v === 'object' && v !== null && 'code' in v && 'storage' in v && 'name' in v;
}

/** Kernels generated per geometry (the direct convs' row taps), one geometry each. */
const GENERATED: KernelSpec[] = [
  conv2dForwardDirectKernel({ kw: 3, stride: 1 }, false),
  conv2dForwardDirectKernel({ kw: 3, stride: 2 }, true),
  plainGradKernel(conv2dBackwardInputDirectMain({ kw: 3, stride: 2, pad: 1 })),
];

/** Every KernelSpec a descriptor module exports, alone or in a table or list, and the generated ones. */
const specs: KernelSpec[] = [
  ...Object.values(modules).flatMap((m) =>
    Object.values(m).flatMap((v) => (isSpec(v) ? [v] : typeof v === 'object' && v !== null ? Object.values(v).filter(isSpec) : [])),
  ),
  ...GENERATED,
];

describe('kernels declared in WGSL', () => {
  it('finds the shaders and the descriptors', () => {
    expect(Object.keys(shaders).length).toBeGreaterThan(15);
    expect(specs.length).toBeGreaterThan(30);
  });

  for (const [path, code] of Object.entries(shaders)) {
    it(`reflects ${path.replace(/^(\.\.\/)+/, '')}`, () => {
      const r = reflectWgsl(code);
      for (const b of r.bindings) expect(b.group, `${b.name} group`).toBe(0);
      // A kernel file's entry point and storage bindings may come from common/ helpers
      // (element-wise, cross-entropy rows, convolutions): the descriptors' test below checks them.
      expect(
        r.bindings.every((b) => b.access !== 'uniform' || b.name === 'p'),
        'the uniform struct is bound as p',
      ).toBe(true);
    });
  }

  it('gives every descriptor named storage bindings, at distinct binding numbers, and a packable uniform', () => {
    for (const s of specs) {
      expect(s.storage.length, `${s.name} storage`).toBeGreaterThan(0);
      const numbers = [...s.storage.map((b) => b.binding), ...(s.uniform ? [s.uniform.binding] : [])];
      expect(new Set(numbers).size, `${s.name} binding numbers`).toBe(numbers.length);
      if (s.uniform) expect(planUniforms(s.uniform.layout).byteSize % 16, `${s.name} uniform size`).toBe(0);
    }
  });

  it('dispatches every kernel shader from some descriptor', () => {
    for (const [path, code] of Object.entries(shaders)) {
      if (path.includes('/common/')) continue;
      const body = code.split('\n').find((l) => /\bfn\s+\w+/.test(l))!;
      expect(
        specs.some((s) => s.code.includes(body)),
        `${path} is used by no descriptor`,
      ).toBe(true);
    }
  });

  it('lists exactly the functions of shaders/elementwise.wgsl in ELEMENTWISE', () => {
    const fns = [...reflectWgsl(elementwiseWgsl).functions.keys()].filter((f) => f !== 'channel');
    expect([...ELEMENTWISE].sort()).toEqual(fns.sort());
  });
});
