// GPU-free: what a tuned choice is keyed by (kind, shape and a hash of the variants'
// kernels) and which stored entries count: well-formed ones only, the latest per op.

import { describe, expect, it } from 'vitest';
import { defineKernel } from './kernel';
import { conv2dBackwardFilterOp } from './kernels/conv2dBackwardFilter';
import { conv2dBackwardInputOp } from './kernels/conv2dBackwardInput';
import { conv2dForwardOp } from './kernels/conv2dForward';
import type { TunableOp } from './sink';
import { cleanChoices, memoryTuneStore, mergeChoices, opKey, variantsHash } from './tuner';

const SHAPE = { n: 2, cin: 3, cout: 5, h: 9, w: 7, kh: 3, kw: 3, stride: 1, pad: 1 };

/** An op with two variants, each one dispatch of a kernel with this WGSL body. */
function fakeOp(body: string, constants: Record<string, number> = {}): TunableOp {
  const code = `override K: u32 = 1u;\n@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(1) fn main() { ${body} }`;
  const kernel = defineKernel({ name: 'fake', code, constants });
  return {
    kind: 'fake',
    shape: 'n1',
    variants: ['a', 'b'],
    default: 'a',
    buffers: [16],
    record: (sink, [y]) => sink.dispatch({ kernel, buffers: { y }, workgroups: [1] }),
  };
}

describe('tuned choice keys', () => {
  it('carry the kind, the shape and a 16-digit hash of what the variants run', () => {
    const op = conv2dForwardOp(SHAPE);
    expect(opKey(op)).toMatch(/^conv2dForward n2 3->5 9x7 k3x3 s1 p1 #[0-9a-f]{16}$/);
    expect(opKey(op)).toBe(opKey(conv2dForwardOp(SHAPE)));
    // Each kind runs other kernels: other hashes.
    const hashes = [conv2dForwardOp, conv2dBackwardInputOp, conv2dBackwardFilterOp].map((f) => opKey(f(SHAPE)).split('#')[1]);
    expect(new Set(hashes).size).toBe(3);
  });

  it('change with the WGSL and with the constants of any variant', () => {
    const a = variantsHash(fakeOp('y[0] = 1.0;'));
    expect(variantsHash(fakeOp('y[0] = 1.0;'))).toBe(a);
    expect(variantsHash(fakeOp('y[0] = 2.0;'))).not.toBe(a);
    expect(variantsHash(fakeOp('y[0] = 1.0;', { K: 2 }))).not.toBe(a);
  });
});

describe('stored choices', () => {
  const key = (kind: string, hash: string) => `${kind} n1 3->5 9x7 k3x3 s1 p1 #${hash}`;
  const now = key('conv2dForward', '0123456789abcdef');

  it('keep only keys with a code hash and string variants', () => {
    expect(
      cleanChoices({
        [now]: 'direct',
        'conv2dForward n1 3->5 9x7 k3x3 s1 p1': 'gemm16', // written before the code hash
        [key('conv2dBackwardInput', 'XYZ')]: 'direct',
        [key('conv2dBackwardFilter', 'fedcba9876543210')]: 7,
        [key('conv2dBackwardInput', 'fedcba9876543210')]: '',
      }),
    ).toEqual({ [now]: 'direct' });
    for (const bad of [null, undefined, 'text', 3, ['a'], { toString: 'x' }]) expect(cleanChoices(bad)).toEqual({});
  });

  it('a new choice replaces the same op timed with other kernels, and leaves the rest', () => {
    const stale = key('conv2dForward', 'aaaaaaaaaaaaaaaa');
    const other = key('conv2dBackwardInput', 'aaaaaaaaaaaaaaaa');
    expect(mergeChoices({ [stale]: 'gemm16', [other]: 'gemm32', old: 'x' }, { [now]: 'direct' })).toEqual({
      [other]: 'gemm32',
      [now]: 'direct',
    });
    expect(mergeChoices('garbage', { [now]: 'direct' })).toEqual({ [now]: 'direct' });
  });

  it('the memory store merges per adapter like the others', async () => {
    const store = memoryTuneStore();
    await store.save('gpu', { [key('conv2dForward', 'aaaaaaaaaaaaaaaa')]: 'gemm16', [key('x', 'bbbbbbbbbbbbbbbb')]: 'direct' });
    await store.save('gpu', { [now]: 'direct' });
    expect(await store.load('gpu')).toEqual({ [key('x', 'bbbbbbbbbbbbbbbb')]: 'direct', [now]: 'direct' });
    expect(await store.load('other gpu')).toEqual({});
  });
});
