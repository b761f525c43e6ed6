// The shared weight constructions against docs/science.md section 2 written out by hand:
// LL(A), [A; -A], [A, -A], delta kernels in [cout, cin, kh, kw] layout, permutation
// matrices, and per-tensor streams (order-independent, distinct per tensor and seed).

import { describe, expect, it } from 'vitest';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { smallConfig } from './testing';
import { WEIGHT_KINDS } from './common';
import {
  blockDiagonal2,
  combine,
  concatNegated,
  deltaKernel,
  heStd,
  heTensor,
  identity,
  linearWeight,
  looksLinear,
  mul,
  permutationMatrix,
  scaled,
  setHe,
  stackNegated,
  tensorStream,
  transposed,
  type Matrix,
} from './weights';

const m23: Matrix = { rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, 4, 5, 6) };

describe('matrix constructions', () => {
  it('LL(A) = [[A, -A], [-A, A]]', () => {
    const ll = looksLinear(m23);
    expect([ll.rows, ll.cols]).toEqual([4, 6]);
    expect([...ll.data]).toEqual([1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6, -1, -2, -3, 1, 2, 3, -4, -5, -6, 4, 5, 6]);
  });

  it('[A; -A], [A, -A], [[A, 0], [0, A]]', () => {
    expect([...stackNegated(m23).data]).toEqual([1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6]);
    expect([...concatNegated(m23).data]).toEqual([1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6]);
    const a = { rows: 1, cols: 2, data: Float64Array.of(7, 8) };
    expect([...blockDiagonal2(a).data]).toEqual([7, 8, 0, 0, 0, 0, 7, 8]);
  });

  it('LL(A) maps a split-form x = [relu(d); relu(-d)] to [A d; -A d]', () => {
    const d = Float64Array.of(0.5, -2, 1.5);
    const x = Float64Array.from([...d.map((t) => Math.max(t, 0)), ...d.map((t) => Math.max(-t, 0))]);
    const ll = looksLinear(m23);
    const y = mul(ll, { rows: 6, cols: 1, data: x }).data;
    const ad = mul(m23, { rows: 3, cols: 1, data: d }).data;
    expect([...y]).toEqual([...ad, ...ad.map((t) => -t)]);
  });

  it('mul, combine, scaled, transposed, identity', () => {
    const t = transposed(m23);
    expect([...mul(m23, t).data]).toEqual([14, 32, 32, 77]);
    expect([...combine(2, identity(2), -1, { rows: 2, cols: 2, data: Float64Array.of(1, 1, 1, 1) }).data]).toEqual([1, -1, -1, 1]);
    expect([...scaled(m23, -2).data]).toEqual([-2, -4, -6, -8, -10, -12]);
    expect(() => mul(m23, m23)).toThrow(/2x3 times 2x3/);
  });

  it('permutationMatrix sends x[i] to position perm[i]', () => {
    const p = permutationMatrix([2, 0, 1]);
    expect([...mul(p, { rows: 3, cols: 1, data: Float64Array.of(10, 20, 30) }).data]).toEqual([20, 30, 10]);
  });
});

describe('deltaKernel and linearWeight', () => {
  it('puts M at the centre tap of [cout, cin, k, k] and zeros elsewhere', () => {
    const w = deltaKernel(m23, [2, 3, 3, 3]);
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 3; i++) {
        for (let t = 0; t < 9; t++) expect(w[(o * 3 + i) * 9 + t]).toBe(t === 4 ? m23.data[o * 3 + i] : 0);
      }
    }
    expect([...deltaKernel(m23, [2, 3, 1, 1])]).toEqual([...m23.data]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => deltaKernel(m23, [3, 2, 3, 3])).toThrow(/matrix 2x3/);
    expect(() => deltaKernel(m23, [2, 3, 2, 2])).toThrow(/odd square/);
    expect(() => linearWeight(m23, [3, 2])).toThrow(/matrix 2x3/);
  });
});

describe('per-tensor streams and He tensors', () => {
  const model = buildResNet(smallConfig(), 1);
  const weights = model.params.filter((p) => WEIGHT_KINDS.has(p.kind));

  it('a tensor depends only on (seed, tensor id), not on what was drawn before', () => {
    const forward = new Map<number, Float64Array>();
    setHe(model, 3, forward, WEIGHT_KINDS);
    const reversed = new Map([...weights].reverse().map((p) => [p.id, heTensor(3, p)]));
    for (const p of weights) expect(reversed.get(p.id)).toEqual(forward.get(p.id));
    expect(tensorStream(3, 7).normalArray(4)).toEqual(new RandomStream(3, Streams.init).fork(7).normalArray(4));
  });

  it('different tensors and different seeds get different draws', () => {
    const firsts = new Set(weights.map((p) => heTensor(3, p)[0] / heStd(p.shape)));
    expect(firsts.size).toBe(weights.length);
    for (const p of weights) expect(heTensor(4, p)).not.toEqual(heTensor(3, p));
  });
});
