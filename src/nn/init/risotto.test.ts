// Risotto against docs/science.md section 3: the exact isometry of the block outputs' input
// Jacobian (float64 CPU interpreter, random input) for Type B and C nets of growing
// depth, the partial isometry through stride-2 stages, the weight formulas themselves,
// and the architecture requirements.

import { describe, expect, it } from 'vitest';
import { matMul, transpose } from '../../util/linalg';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet, type ResNetModel } from '../resnet';
import type { InitValues } from './common';
import { initRisotto, risottoRequires, risottoScheme, type RisottoOptions } from './risotto';
import { inputJacobian, isometryError, singularValues, smallConfig } from './testing';

const probe = (n: number, seed = 1) => new RandomStream(seed, Streams.test).normalArray(n);

function blockSpectrum(model: ResNetModel, v: InitValues, block: number): Float64Array {
  const z = probe(model.config.inputChannels * model.config.inputSize ** 2);
  return singularValues(inputJacobian(model, v, model.blocks[block].output, z));
}

function maxDev(a: Float64Array, b: Float64Array): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

/** The centre taps of a [cout, cin, k, k] weight as a cout x cin matrix, and whether
 * every other tap is exactly 0. */
function centre(w: Float64Array, shape: readonly number[]): { m: Float64Array; offCentreZero: boolean } {
  const [cout, cin, k] = shape;
  const taps = k * k;
  const c = Math.floor(k / 2) * k + Math.floor(k / 2);
  const m = new Float64Array(cout * cin);
  let offCentreZero = true;
  for (let i = 0; i < cout * cin; i++) {
    m[i] = w[i * taps + c];
    for (let t = 0; t < taps; t++) if (t !== c && w[i * taps + t] !== 0) offCentreZero = false;
  }
  return { m, offCentreZero };
}

/** Splits a 2p x 2q matrix into its blocks and checks the LL pattern (within `tol`);
 * returns A. */
function looksLinearBlock(m: Float64Array, rows: number, cols: number, tol = 0): Float64Array {
  const [p, q] = [rows / 2, cols / 2];
  const a = new Float64Array(p * q);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      const x = m[i * cols + j];
      a[i * q + j] = x;
      expect(Math.abs(m[i * cols + j + q] + x)).toBeLessThanOrEqual(tol);
      expect(Math.abs(m[(i + p) * cols + j] + x)).toBeLessThanOrEqual(tol);
      expect(Math.abs(m[(i + p) * cols + j + q] - x)).toBeLessThanOrEqual(tol);
    }
  }
  return a;
}

function orthonormalColumnsError(a: Float64Array, rows: number, cols: number): number {
  const g = matMul(transpose(a, rows, cols), a, cols, rows, cols);
  return g.reduce((m, x, k) => Math.max(m, Math.abs(x - (k % (cols + 1) === 0 ? 1 : 0))), 0);
}

describe('Risotto: exact dynamical isometry', () => {
  for (const skip of ['B', 'C'] as const) {
    for (const depth of [2, 4, 8]) {
      it(`Type ${skip}, ${depth} stride-1 blocks: every singular value of d(block output)/d(input) is 1`, () => {
        const model = buildResNet(smallConfig({ skip, blocksPerStage: [depth, 1, 1] }), 4);
        const sigma = blockSpectrum(model, initRisotto(model, 11), depth - 1);
        expect(sigma.length).toBe(3 * 4 * 4);
        expect(maxDev(sigma, new Float64Array(sigma.length).fill(1))).toBeLessThan(1e-8);
      });
    }
  }

  it('holds at 8x8 input and for other a_res, a_skip and random permutations', () => {
    const opts: Partial<RisottoOptions>[] = [{}, { aRes: -0.5, aSkip: 2, permutation: 'random' }];
    for (const skip of ['B', 'C'] as const) {
      for (const o of opts) {
        const model = buildResNet(smallConfig({ skip, inputSize: o.aRes ? 4 : 8, blocksPerStage: [3, 1, 1] }), 8);
        const { maxDeviation, rank } = isometryError(blockSpectrum(model, initRisotto(model, 12, o), 2));
        expect(rank).toBe(3 * model.config.inputSize ** 2);
        expect(maxDeviation).toBeLessThan(1e-8);
      }
    }
  });

  for (const skip of ['B', 'C'] as const) {
    it(`Type ${skip} through two stride-2 stages: every non-zero singular value is 1`, () => {
      const model = buildResNet(smallConfig({ skip, inputSize: 8, blocksPerStage: [1, 1, 1] }), 8);
      const z = probe(3 * 8 * 8, 2);
      const j = inputJacobian(model, initRisotto(model, 13), model.features, z);
      expect([j.rows, j.cols]).toEqual([32 * 2 * 2, 3 * 8 * 8]);
      const { maxDeviation, rank } = isometryError(singularValues(j));
      // The delta kernels read input pixel (4i, 4j) for output pixel (i, j): 4 pixels x 3 channels.
      expect(rank).toBe(12);
      expect(maxDeviation).toBeLessThan(1e-8);
    });
  }
});

describe('Risotto: bottleneck blocks (Type C) in float64', () => {
  it('stride 1: every singular value is 1, for a_res/a_skip 1/1 and 0.3/2', () => {
    for (const o of [{}, { aRes: 0.3, aSkip: 2 }]) {
      const model = buildResNet(smallConfig({ block: 'bottleneck', skip: 'C', width: 8, blocksPerStage: [3, 1, 1] }), 8);
      const { maxDeviation, rank } = isometryError(blockSpectrum(model, initRisotto(model, 14, o), 2));
      expect(rank).toBe(3 * 4 * 4);
      expect(maxDeviation).toBeLessThan(1e-8);
    }
  });

  it('through two stride-2 stages: every non-zero singular value is 1', () => {
    const model = buildResNet(smallConfig({ block: 'bottleneck', skip: 'C', inputSize: 8, blocksPerStage: [1, 1, 1] }), 8);
    const j = inputJacobian(model, initRisotto(model, 15), model.features, probe(3 * 8 * 8, 3));
    const { maxDeviation, rank } = isometryError(singularValues(j));
    expect(rank).toBe(12);
    expect(maxDeviation).toBeLessThan(1e-8);
  });

  it('the branch is conv1 = LL(U1) 1x1, conv2 = LL(U2) 3x3, conv3 = LL(U3) 1x1 and a_res U3 U2 U1 + a_skip Us = Q', () => {
    const model = buildResNet(smallConfig({ block: 'bottleneck', skip: 'C', blocksPerStage: [1, 1, 1] }), 1);
    const v = initRisotto(model, 16, { aRes: 0.3, aSkip: 2 });
    const b = model.blocks[1];
    const shape = (id: number) => model.graph.tensors[id].shape;
    const ll = (id: number) => {
      const c = centre(v.get(id)!, shape(id));
      expect(c.offCentreZero).toBe(true);
      return looksLinearBlock(c.m, shape(id)[0], shape(id)[1]);
    };
    expect([shape(b.params.conv1)[2], shape(b.params.conv2)[2], shape(b.params.conv3!)[2]]).toEqual([1, 3, 1]);
    const [nIn, nMid, nOut] = [b.cin / 2, b.cout / 8, b.cout / 2];
    const [u1, u2, u3, us] = [ll(b.params.conv1), ll(b.params.conv2), ll(b.params.conv3!), ll(b.params.skipConv!)];
    const chain = matMul(u3, matMul(u2, u1, nMid, nMid, nIn), nOut, nMid, nIn);
    const q = chain.map((x, i) => 0.3 * x + 2 * us[i]);
    expect(orthonormalColumnsError(q, nOut, nIn)).toBeLessThan(1e-12);
  });
});

describe('Risotto: weights as docs/science.md writes them', () => {
  const model = buildResNet(smallConfig({ skip: 'B', blocksPerStage: [2, 1, 1] }), 1);
  const aRes = 0.5;
  const aSkip = -2;
  const v = initRisotto(model, 21, { aRes, aSkip });
  const param = (id: number) => ({ w: v.get(id)!, shape: model.graph.tensors[id].shape });

  it('stem delta([U0; -U0], 3) with U0 orthonormal columns; classifier [V, -V] with V orthonormal rows', () => {
    const stem = model.params.find((p) => p.kind === 'stemConv')!;
    const { m, offCentreZero } = centre(v.get(stem.id)!, stem.shape);
    expect(offCentreZero).toBe(true);
    const [n, cin] = [4, 3];
    for (let i = 0; i < n * cin; i++) expect(m[n * cin + i]).toBe(-m[i]);
    expect(orthonormalColumnsError(m.subarray(0, n * cin), n, cin)).toBeLessThan(1e-14);

    const fc = model.params.find((p) => p.kind === 'fcWeight')!;
    const [k, c] = fc.shape;
    const w = v.get(fc.id)!;
    const vm = new Float64Array(k * (c / 2));
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < c / 2; j++) {
        vm[i * (c / 2) + j] = w[i * c + j];
        expect(w[i * c + j + c / 2]).toBe(-w[i * c + j]);
      }
    }
    expect(orthonormalColumnsError(transpose(vm, k, c / 2), c / 2, k)).toBeLessThan(1e-14);
  });

  it('Type B: conv1 = LL(I), a_res conv2 + a_skip I = LL(Q) with Q orthogonal; a_res, a_skip set', () => {
    const b = model.blocks[1];
    expect(b.skip).toBe('identity');
    const c1 = centre(param(b.params.conv1).w, param(b.params.conv1).shape);
    const c2 = centre(param(b.params.conv2).w, param(b.params.conv2).shape);
    expect(c1.offCentreZero && c2.offCentreZero).toBe(true);
    const eye = looksLinearBlock(c1.m, 8, 8);
    expect(orthonormalColumnsError(eye, 4, 4)).toBe(0);
    const ll = c2.m.map((x, k) => aRes * x + (k % 9 === 0 ? aSkip : 0));
    expect(orthonormalColumnsError(looksLinearBlock(ll, 8, 8, 1e-14), 4, 4)).toBeLessThan(1e-11);
    expect(v.get(b.params.aRes)).toEqual(Float64Array.of(aRes));
    expect(v.get(b.params.aSkip)).toEqual(Float64Array.of(aSkip));
  });

  it('Type C: a_res U2 U1 + a_skip Us = Q with Q orthonormal columns; skip conv is a 1x1 LL kernel', () => {
    const b = model.blocks[2];
    expect(b.skip).toBe('projection');
    const [nIn, nOut] = [b.cin / 2, b.cout / 2];
    const u1 = looksLinearBlock(centre(param(b.params.conv1).w, param(b.params.conv1).shape).m, b.cout, b.cin);
    const u2 = looksLinearBlock(centre(param(b.params.conv2).w, param(b.params.conv2).shape).m, b.cout, b.cout);
    expect(param(b.params.skipConv!).shape).toEqual([b.cout, b.cin, 1, 1]);
    const us = looksLinearBlock(param(b.params.skipConv!).w, b.cout, b.cin);
    expect(orthonormalColumnsError(u1, nOut, nIn)).toBeLessThan(1e-14);
    expect(orthonormalColumnsError(u2, nOut, nOut)).toBeLessThan(1e-14);
    const q = matMul(u2, u1, nOut, nOut, nIn).map((x, k) => aRes * x + aSkip * us[k]);
    expect(orthonormalColumnsError(q, nOut, nIn)).toBeLessThan(1e-14);
  });

  it('random permutation: conv1 = LL(P) for permutation matrices P, not all the identity', () => {
    const deep = buildResNet(smallConfig({ skip: 'B', blocksPerStage: [6, 1, 1] }), 1);
    const w = initRisotto(deep, 3, { permutation: 'random' });
    let nonIdentity = 0;
    for (const b of deep.blocks.filter((x) => x.skip === 'identity')) {
      const p = looksLinearBlock(centre(w.get(b.params.conv1)!, [8, 8, 3, 3]).m, 8, 8);
      expect(orthonormalColumnsError(p, 4, 4)).toBe(0);
      expect(p.every((x) => x === 0 || x === 1)).toBe(true);
      if (p.some((x, k) => x !== (k % 5 === 0 ? 1 : 0))) nonIdentity++;
    }
    expect(nonIdentity).toBeGreaterThan(0);
  });

  it('rejects a zero a_res or a_skip and unknown options', () => {
    expect(() => initRisotto(model, 1, { aRes: 0 })).toThrow(/aRes must be non-zero/);
    expect(() => initRisotto(model, 1, { aSkip: 0 })).toThrow(/aSkip must be non-zero/);
    expect(() => risottoScheme.init(model, 1, { gain: 2 })).toThrow(/no option 'gain'/);
    expect(() => risottoScheme.init(model, 1, { permutation: 'sorted' })).toThrow(/identity, random/);
  });
});

describe('Risotto: requirements', () => {
  it('names odd widths, too-narrow stems and a missing post-addition ReLU, with the fix', () => {
    expect(risottoRequires(smallConfig())).toEqual([]);
    const odd = risottoRequires(smallConfig({ width: 9 }));
    expect(odd).toHaveLength(1);
    expect(odd[0]).toMatch(/even width.*9 is odd, use 10/);
    expect(risottoRequires(smallConfig({ width: 4 }))[0]).toMatch(/width \/ 2 >= inputChannels.*use at least 6/);
    expect(risottoRequires(smallConfig({ postAddRelu: false }))[0]).toMatch(/turn postAddRelu on/);
    expect(() => initRisotto(buildResNet(smallConfig({ width: 7 }), 1), 1)).toThrow(/Risotto does not apply.*\n- .*even width/);
  });

  it('refuses a Type B bottleneck with the reason, and accepts Type C', () => {
    const msgs = risottoRequires(smallConfig({ block: 'bottleneck', skip: 'B' }));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/identity skip.*\(Q - a_skip I\) d, of rank n.*bottleneck.*Set skip to C/);
    expect(risottoRequires(smallConfig({ block: 'bottleneck', skip: 'C' }))).toEqual([]);
    expect(() => initRisotto(buildResNet(smallConfig({ block: 'bottleneck' }), 1), 1)).toThrow(/Risotto does not apply.*\n- .*Type C/);
  });

  it('configFor turns the post-addition ReLU on and leaves the rest, BatchNorm included', () => {
    const base = smallConfig({ postAddRelu: false, batchNorm: true });
    const cfg = risottoScheme.configFor(base);
    expect(cfg).toEqual({ ...base, postAddRelu: true });
    expect(base.postAddRelu).toBe(false);
    expect(risottoScheme.requires(cfg)).toEqual([]);
  });
});
