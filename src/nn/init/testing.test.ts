// The init-scheme test helpers against independent computations: the batched Jacobian
// against central differences and against batch size 1, singular values of matrices
// with known spectra.

import { describe, expect, it } from 'vitest';
import { runForward } from '../../engine/cpu/interpreter';
import { matMul, transpose } from '../../util/linalg';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { initHe } from './he';
import { inputJacobian, isometryError, singularValues, smallConfig } from './testing';

describe('inputJacobian', () => {
  const cfg = smallConfig({ blocksPerStage: [1, 1, 1], skip: 'C' });
  const z = new RandomStream(1, Streams.test).normalArray(3 * 4 * 4);

  it('matches central differences of the forward pass, and does not depend on the batch size', () => {
    const m1 = buildResNet(cfg, 1);
    const v = initHe(m1, 5);
    const target = m1.blocks[1].output;
    const j = inputJacobian(m1, v, target, z);
    expect([j.rows, j.cols]).toEqual([16 * 2 * 2, 48]);
    const f = (x: Float64Array) => {
      const all = new Map(v);
      all.set(m1.input, x);
      all.set(m1.labels, new Float64Array(1));
      return runForward(m1.graph, all, 'eval').value(target);
    };
    const h = 1e-6;
    let worst = 0;
    for (let c = 0; c < j.cols; c++) {
      const zp = Float64Array.from(z);
      const zm = Float64Array.from(z);
      zp[c] += h;
      zm[c] -= h;
      const [fp, fm] = [f(zp), f(zm)];
      for (let r = 0; r < j.rows; r++) worst = Math.max(worst, Math.abs((fp[r] - fm[r]) / (2 * h) - j.data[r * j.cols + c]));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(j.data.some((x) => x !== 0)).toBe(true);

    // Same weights in a batch-5 model (tensor ids do not depend on the batch size).
    const m5 = buildResNet(cfg, 5);
    const j5 = inputJacobian(m5, v, m5.blocks[1].output, z);
    expect(j5.data).toEqual(j.data);
  });

  it('rejects an input of the wrong size', () => {
    const m = buildResNet(cfg, 1);
    expect(() => inputJacobian(m, initHe(m, 1), m.features, new Float64Array(5))).toThrow(/input values/);
  });
});

describe('singularValues and isometryError', () => {
  it('returns the planted singular values of U diag(s) V^T for tall and wide matrices', () => {
    const s = [3, 2, 0.5, 0];
    const r = new RandomStream(2, Streams.test);
    const q = (n: number) => {
      // A signed permutation is orthogonal, which is all this needs.
      const p = r.permutation(n);
      const out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) out[i * n + p[i]] = r.uniform() < 0.5 ? -1 : 1;
      return out;
    };
    const [m, n] = [6, 4];
    const d = new Float64Array(m * n);
    s.forEach((x, i) => (d[i * n + i] = x));
    const a = matMul(matMul(q(m), d, m, m, n), q(n), m, n, n);
    const tall = singularValues({ rows: m, cols: n, data: a });
    const wide = singularValues({ rows: n, cols: m, data: transpose(a, m, n) });
    for (const got of [tall, wide]) {
      expect(got.length).toBe(4);
      s.forEach((x, i) => expect(got[i]).toBeCloseTo(x, 12));
    }
    expect(isometryError(tall)).toEqual({ maxDeviation: 2, rank: 3 });
  });
});
