// The ablations of docs/science.md section 4 do what they are for: remove one ingredient of
// Risotto and lose the isometry. Also their weight structure and requirements.

import { describe, expect, it } from 'vitest';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { deltaOrthogonalScheme, initDeltaOrthogonal, initLooksLinearNoCorrection, looksLinearNoCorrectionScheme } from './ablations';
import { initRisotto } from './risotto';
import { inputJacobian, isometryError, singularValues, smallConfig } from './testing';

const z = new RandomStream(4, Streams.test).normalArray(3 * 4 * 4);

describe('looks-linear without the skip correction', () => {
  for (const skip of ['B', 'C'] as const) {
    it(`Type ${skip}, 8 blocks: NOT isometric, while Risotto on the same net is`, () => {
      const model = buildResNet(smallConfig({ skip, blocksPerStage: [8, 1, 1] }), 4);
      const target = model.blocks[7].output;
      const naive = isometryError(singularValues(inputJacobian(model, initLooksLinearNoCorrection(model, 6), target, z)));
      const risotto = isometryError(singularValues(inputJacobian(model, initRisotto(model, 6), target, z)));
      expect(naive.maxDeviation).toBeGreaterThan(0.5);
      expect(risotto.maxDeviation).toBeLessThan(1e-8);
    });
  }

  it("shares Risotto's stem, classifier and U1 but not its corrected conv2/skip", () => {
    const model = buildResNet(smallConfig({ skip: 'C' }), 1);
    const [naive, ris] = [initLooksLinearNoCorrection(model, 2), initRisotto(model, 2)];
    for (const p of model.params) {
      if (p.kind === 'stemConv' || p.kind === 'fcWeight' || p.kind === 'conv1') expect(naive.get(p.id), p.name).toEqual(ris.get(p.id));
      if (p.kind === 'skipConv') expect(naive.get(p.id), p.name).not.toEqual(ris.get(p.id));
    }
    // Identity-skip blocks: conv2 = LL(U2), not (LL(Q) - I) Pi^T.
    const b = buildResNet(smallConfig({ skip: 'B' }), 1);
    const conv2 = b.blocks[0].params.conv2;
    expect(initLooksLinearNoCorrection(b, 2).get(conv2)).not.toEqual(initRisotto(b, 2).get(conv2));
  });

  it('needs the same even widths as Risotto', () => {
    expect(looksLinearNoCorrectionScheme.requires(smallConfig({ width: 5 }))[0]).toMatch(/even width/);
    expect(looksLinearNoCorrectionScheme.requires(smallConfig())).toEqual([]);
  });
});

describe('delta-orthogonal without looks-linear', () => {
  it('has orthogonal delta kernels yet is NOT isometric through the ReLUs', () => {
    const model = buildResNet(smallConfig({ skip: 'C', blocksPerStage: [4, 1, 1] }), 4);
    const v = initDeltaOrthogonal(model, 8);
    const stem = model.params.find((p) => p.kind === 'stemConv')!;
    const w = v.get(stem.id)!;
    // Centre taps form an 8 x 3 matrix with orthonormal columns; other taps 0.
    const col = (j: number) => Array.from({ length: 8 }, (_, o) => w[(o * 3 + j) * 9 + 4]);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) expect(col(a).reduce((s, x, i) => s + x * col(b)[i], 0)).toBeCloseTo(a === b ? 1 : 0, 14);
    expect(w.filter((_, k) => k % 9 !== 4).every((x) => x === 0)).toBe(true);
    const { maxDeviation } = isometryError(singularValues(inputJacobian(model, v, model.blocks[3].output, z)));
    expect(maxDeviation).toBeGreaterThan(0.5);
    expect(deltaOrthogonalScheme.requires(smallConfig({ width: 5 }))).toEqual([]);
  });
});
