// Signal propagation and branch balance on the GPU: He without BatchNorm drives the
// cosine of two inputs' block outputs toward 1 with depth; Risotto keeps the signal
// cosine and the mean square per unit exactly through stride-1 blocks; Fixup and
// SkipInit blocks are the identity at init (branch balance exactly 0); every reading
// equals the float64 CPU forward pass, with BatchNorm in both modes. And per-parameter
// gradient norms grouped by block.

import { describe, expect, it } from 'vitest';
import { runForward } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext } from '../engine/webgpu/testing';
import { initHe } from '../nn/init/he';
import { initRisotto } from '../nn/init/risotto';
import { buildResNet } from '../nn/resnet';
import { noiseReferenceBatch, valuesForBnMode, valuesForBnModeCpu } from './bnStats';
import { band, gaussianPairs, gradNormsByBlock, measureSignalPropagation, signalForScheme } from './signalPropagation';
import { smallConfig } from './testing';

const DEPTH = 16;
const cfg = smallConfig({ inputSize: 4, blocksPerStage: [DEPTH, 1, 1] });
const positiveFinite = (x: number) => Number.isFinite(x) && x > 0;

describe('signal propagation through depth', () => {
  for (const seed of [1, 2]) {
    it(`He drives the cosine toward 1 within the first stage; Risotto keeps signal cosine and q exactly (seed ${seed})`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const he = await signalForScheme({ ctx, config: cfg, scheme: 'he', seed });
      const ris = await signalForScheme({ ctx, config: cfg, scheme: 'risotto', seed });
      for (const r of [he, ris]) {
        expect(r.pairs).toBe(8);
        expect(r.layers.map((l) => l.name).slice(0, 3)).toEqual(['stem', 'stage1.block0', 'stage1.block1']);
        expect(r.layers.length).toBe(DEPTH + 3);
        for (const l of r.layers) expect(positiveFinite(l.q.min) && l.q.min <= l.q.mean && l.q.mean <= l.q.max, l.name).toBe(true);
        expect(Math.abs(r.inputCosine.mean)).toBeLessThan(1e-12);
        expect(r.balance.length).toBe(DEPTH + 2);
      }
      expect(he.layers[0].signalCosine).toBeUndefined();
      const [heStem, heLast] = [he.layers[0].cosine.mean, he.layers[DEPTH].cosine.mean];
      expect(heLast).toBeGreaterThan(heStem + 0.3);
      expect(heLast).toBeGreaterThan(ris.layers[DEPTH].cosine.mean + 0.3);
      expect(he.layers[DEPTH].q.mean).toBeGreaterThan(4 * he.layers[0].q.mean);
      // Risotto maps the signal d to Q d with Q orthogonal: the signal cosine of every
      // pair and the mean square per unit are kept exactly through the stride-1 stage
      // (the stem embeds the input isometrically, so it equals the input cosine).
      const stem = ris.layers[0];
      expect(Math.abs(stem.signalCosine!.mean - ris.inputCosine.mean)).toBeLessThan(1e-5);
      for (const l of ris.layers.slice(1, DEPTH + 1)) {
        for (const k of ['mean', 'min', 'max'] as const) {
          expect(Math.abs(l.signalCosine![k] - stem.signalCosine![k]), `${l.name} signal cosine ${k}`).toBeLessThan(1e-5);
          expect(Math.abs(l.q[k] / stem.q[k] - 1), `${l.name} q ${k}`).toBeLessThan(1e-5);
        }
      }
      // The split activations' cosine is not the signal's: it wanders.
      expect(Math.max(...ris.layers.slice(1, DEPTH + 1).map((l) => Math.abs(l.cosine.mean - l.signalCosine!.mean)))).toBeGreaterThan(0.05);
      for (const b of ris.balance.slice(0, DEPTH)) expect(b.ratio.mean, b.name).toBeGreaterThan(0.1);
      expect(ctx.pool.getStats().inUseBytes).toBe(before);
    });
  }

  it("keeps Risotto's signal cosine through Type C stride-1 blocks for correlated Gaussian pairs", async () => {
    const ctx = await gpuTestContext();
    const r = await signalForScheme({
      ctx,
      config: smallConfig({ inputSize: 4, skip: 'C', blocksPerStage: [4, 1, 1] }),
      scheme: 'risotto',
      seed: 5,
      inputCosine: 0.6,
    });
    expect(r.inputCosine.mean).toBeCloseTo(0.6, 12);
    for (const l of r.layers.slice(0, 5)) {
      expect(Math.abs(l.signalCosine!.mean - 0.6), l.name).toBeLessThan(1e-5);
      expect(Math.abs(l.q.mean / r.layers[0].q.mean - 1), l.name).toBeLessThan(1e-5);
    }
  });

  it('Fixup and SkipInit blocks are the identity at init: nothing changes through a stage, branch balance exactly 0', async () => {
    const ctx = await gpuTestContext();
    for (const scheme of ['fixup', 'skipinit'] as const) {
      const r = await signalForScheme({ ctx, config: smallConfig({ inputSize: 4, blocksPerStage: [3, 1, 1] }), scheme, seed: 3 });
      for (const l of r.layers.slice(1, 4)) {
        expect(l.cosine.mean, `${scheme} ${l.name}`).toBeCloseTo(r.layers[0].cosine.mean, 6);
        expect(l.q.mean / r.layers[0].q.mean, `${scheme} ${l.name}`).toBeCloseTo(1, 6);
      }
      for (const b of r.balance) expect([b.ratio.min, b.ratio.max], `${scheme} ${b.name}`).toEqual([0, 0]);
    }
  });

  for (const skip of ['B', 'C'] as const) {
    it(`equals the float64 CPU forward pass with BatchNorm batch statistics (Type ${skip}, stride 2)`, async () => {
      const ctx = await gpuTestContext();
      const config = smallConfig({ inputSize: 5, blocksPerStage: [2, 1, 1], skip, batchNorm: true });
      const pairs = gaussianPairs(4, 2, 75, 0.3).map(([a, b]) => [a.map(Math.fround), b.map(Math.fround)] as const);
      const model = buildResNet(config, 4);
      const init = new Map([...initHe(model, 8)].map(([id, v]) => [id, v.map(Math.fround)]));
      const reference = noiseReferenceBatch(9, 3, 5, 6).map(Math.fround);
      const values = await valuesForBnMode(ctx, 'batch', { config, size: 5, values: init, reference });
      const cpuValues = valuesForBnModeCpu('batch', { config, size: 5, values: init, reference });
      const r = await measureSignalPropagation(ctx, { model, values, pairs, looksLinear: true });

      const all = new Map([...cpuValues].map(([id, v]) => [id, Float64Array.from(v)]));
      all.set(model.input, Float64Array.from(pairs.flatMap(([a, b]) => [...a, ...b])));
      all.set(model.labels, new Float64Array(4));
      const fwd = runForward(model.graph, all, 'eval');
      const slot = (id: number, e: number) => {
        const v = fwd.value(id);
        return v.subarray((e * v.length) / 4, ((e + 1) * v.length) / 4);
      };
      const sq = (x: ArrayLike<number>) => Array.from(x).reduce((s, xi) => s + xi * xi, 0);
      const cos = (x: ArrayLike<number>, y: ArrayLike<number>) =>
        Array.from(x).reduce((s, xi, i) => s + xi * y[i], 0) / Math.sqrt(sq(x) * sq(y));
      const diff = (x: Float64Array) => x.subarray(0, x.length / 2).map((v, i) => v - x[x.length / 2 + i]);
      const want = [model.stemOutput, ...model.blocks.map((b) => b.output)].flatMap((id) => {
        const q = band([0, 1, 2, 3].map((e) => sq(slot(id, e)) / slot(id, e).length));
        const c = band([0, 1].map((p) => cos(slot(id, 2 * p), slot(id, 2 * p + 1))));
        const d = band([0, 1].map((p) => cos(diff(slot(id, 2 * p)), diff(slot(id, 2 * p + 1)))));
        return [q.mean, q.min, q.max, c.mean, c.min, c.max, d.mean, d.min, d.max];
      });
      const got = r.layers.flatMap((l) => [
        l.q.mean,
        l.q.min,
        l.q.max,
        l.cosine.mean,
        l.cosine.min,
        l.cosine.max,
        l.signalCosine!.mean,
        l.signalCosine!.min,
        l.signalCosine!.max,
      ]);
      expectClose(got, want, { atol: 1e-5, rtol: 1e-4 }, 'q and cosines');
      const wantBalance = model.blocks.flatMap((b) => {
        const ratios = band([0, 1, 2, 3].map((e) => Math.sqrt(sq(slot(b.residual, e)) / sq(slot(b.skipPath, e)))));
        return [ratios.mean, ratios.min, ratios.max];
      });
      expectClose(
        r.balance.flatMap((b) => [b.ratio.mean, b.ratio.min, b.ratio.max]),
        wantBalance,
        { atol: 1e-5, rtol: 1e-4 },
        'branch balance',
      );
      // Without the batch statistics BN is the identity at init: a different network.
      const running = await measureSignalPropagation(ctx, { model, values: init, pairs });
      expect(Math.abs(running.layers[3].q.mean - r.layers[3].q.mean)).toBeGreaterThan(1e-3);
      await expect(measureSignalPropagation(ctx, { model: buildResNet(config, 3), values, pairs })).rejects.toThrow(/batch 4/);
      await expect(
        measureSignalPropagation(ctx, { model, values, pairs: [pairs[0], [pairs[1][0], pairs[1][1].subarray(1)]] }),
      ).rejects.toThrow(/74 values/);
    });
  }

  it('gives identical readings in both BatchNorm modes for a net without BatchNorm', async () => {
    const ctx = await gpuTestContext();
    const config = smallConfig({ inputSize: 4, blocksPerStage: [2, 1, 1] });
    const [a, b] = await Promise.all([
      signalForScheme({ ctx, config, scheme: 'risotto', seed: 2, bnStats: 'batch' }),
      signalForScheme({ ctx, config, scheme: 'risotto', seed: 2, bnStats: 'running' }),
    ]);
    expect(a).toEqual(b);
    const model = buildResNet({ ...config, postAddRelu: true }, 2);
    const values = initRisotto(model, 2, {});
    expect(await valuesForBnMode(ctx, 'batch', { config, size: 4, values, reference: noiseReferenceBatch(1, 3, 4) })).toBe(values);
  });

  it('makes Gaussian pairs of exactly the asked cosine and refuses impossible ones', () => {
    for (const c of [-1, -0.25, 0, 0.9, 1]) {
      for (const [a, b] of gaussianPairs(3, 3, 50, c)) {
        const dot = a.reduce((s, x, i) => s + x * b[i], 0);
        const [na, nb] = [Math.hypot(...a), Math.hypot(...b)];
        expect(dot / (na * nb)).toBeCloseTo(c, 10);
        expect(na).toBeCloseTo(Math.sqrt(50), 10);
        expect(nb).toBeCloseTo(Math.sqrt(50), 10);
      }
    }
    expect(() => gaussianPairs(1, 1, 10, 1.5)).toThrow(/cosine/);
  });
});

describe('gradient norms by block', () => {
  it('groups per-parameter norms (trainable params in graph order, as the train session lists them) into stem, blocks and head', () => {
    const model = buildResNet(
      smallConfig({ inputSize: 4, blocksPerStage: [1, 1, 1], batchNorm: true, learnRes: true, fixupBiases: true }),
      2,
    );
    const trainable = model.graph.tensors.filter((t) => t.role === 'param');
    // a_skip is a const here: listed in model.params but absent from the norms.
    expect(model.params.length).toBeGreaterThan(trainable.length);
    const norms = Float32Array.from(trainable, (_, i) => 1 + (i % 5));
    const byName = (prefix: string) => Math.sqrt(trainable.reduce((s, t, i) => s + (t.name.startsWith(prefix) ? norms[i] ** 2 : 0), 0));
    const got = gradNormsByBlock(model, norms);
    const want = [byName('stem.'), ...model.blocks.map((b) => byName(`stage${b.stage}.block${b.indexInStage}.`)), byName('head.')];
    expectClose([got.stem, ...got.blocks, got.head], want, { atol: 1e-12, rtol: 0 }, 'per-block norms');
    expect(want.every(positiveFinite)).toBe(true);
    expect(() => gradNormsByBlock(model, norms.subarray(1))).toThrow(/trainable parameters/);
  });
});
