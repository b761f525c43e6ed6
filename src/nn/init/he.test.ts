// He init against docs/science.md section 4: weight variance 2/fan_in within sampling error,
// scalars 1 and biases 0, and, without BatchNorm, a Jacobian that is far from isometric
// and whose largest singular value grows with depth.

import { describe, expect, it } from 'vitest';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { WEIGHT_KINDS } from './common';
import { heScheme, initHe } from './he';
import { inputJacobian, isometryError, singularValues, smallConfig } from './testing';
import { heStd } from './weights';

describe('He init values', () => {
  const model = buildResNet(smallConfig({ width: 16, blocksPerStage: [2, 2, 2], numClasses: 100 }), 1);
  const v = initHe(model, 17);

  it('every weight tensor has mean 0 and variance 2/fan_in within sampling error', () => {
    for (const p of model.params.filter((q) => WEIGHT_KINDS.has(q.kind))) {
      const w = v.get(p.id)!;
      const n = w.length;
      const std = heStd(p.shape);
      const mean = w.reduce((s, x) => s + x, 0) / n;
      const ratio = w.reduce((s, x) => s + x * x, 0) / n / std ** 2;
      // Standard errors: mean std/sqrt(n), variance ratio sqrt(2/n); 5 of them.
      expect(Math.abs(mean) / std, p.name).toBeLessThan(5 / Math.sqrt(n));
      expect(Math.abs(ratio - 1), p.name).toBeLessThan(5 * Math.sqrt(2 / n));
    }
  });

  it('a_res = a_skip = 1, biases 0, BN-free model has no state', () => {
    for (const b of model.blocks) {
      expect(v.get(b.params.aRes)).toEqual(Float64Array.of(1));
      expect(v.get(b.params.aSkip)).toEqual(Float64Array.of(1));
    }
    const bias = model.params.find((p) => p.kind === 'fcBias')!;
    expect(v.get(bias.id)!.every((x) => x === 0)).toBe(true);
  });

  it('with BatchNorm: gamma 1, beta 0, running mean 0 and variance 1', () => {
    const bn = buildResNet(smallConfig({ batchNorm: true }), 1);
    const w = heScheme.init(bn, 1);
    for (const p of bn.params.filter((q) => q.kind === 'bnGamma' || q.kind === 'bnBeta')) {
      expect(w.get(p.id)!.every((x) => x === (p.kind === 'bnGamma' ? 1 : 0))).toBe(true);
    }
    for (const s of bn.state) expect(w.get(s.id)!.every((x) => x === (s.kind === 'runningVar' ? 1 : 0))).toBe(true);
  });
});

describe('He init without BatchNorm: Jacobian', () => {
  it('is not isometric, and its largest singular value grows with depth', () => {
    const z = new RandomStream(3, Streams.test).normalArray(3 * 4 * 4);
    const sigmaMax = [2, 8].map((depth) => {
      const model = buildResNet(smallConfig({ blocksPerStage: [depth, 1, 1] }), 4);
      const sigma = singularValues(inputJacobian(model, initHe(model, 5), model.blocks[depth - 1].output, z));
      expect(isometryError(sigma).maxDeviation).toBeGreaterThan(0.5);
      return sigma[0];
    });
    // docs/science.md: ~1e1 at 2 blocks, ~2e2 at 8 (width 16, 8x8); a factor 2 is a safe floor.
    expect(sigmaMax[1]).toBeGreaterThan(2 * sigmaMax[0]);
  });
});
