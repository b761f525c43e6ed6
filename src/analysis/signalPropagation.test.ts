// Signal propagation on the GPU (docs/science.md section 5): He without BatchNorm drives the
// cosine of two inputs' block outputs toward 1 with depth while Risotto keeps the stem's
// value; Fixup and SkipInit blocks are the identity at init, so nothing changes through
// a stage; GPU norms and cosines equal the float64 CPU ones. And per-parameter gradient
// norms grouped by block.

import { describe, expect, it } from 'vitest';
import { runForward } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext } from '../engine/webgpu/testing';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { RandomStream, Streams } from '../util/prng';
import { gradNormsByBlock, measureSignalPropagation, signalForScheme } from './signalPropagation';
import { smallConfig } from './testing';

const DEPTH = 16;
const cfg = smallConfig({ inputSize: 4, blocksPerStage: [DEPTH, 1, 1] });
const positiveFinite = (x: number) => Number.isFinite(x) && x > 0;

describe('signal propagation through depth', () => {
  for (const seed of [1, 2]) {
    it(`He drives the cosine toward 1 within the first stage; Risotto keeps it (seed ${seed})`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const he = await signalForScheme({ ctx, config: cfg, scheme: 'he', seed });
      const ris = await signalForScheme({ ctx, config: cfg, scheme: 'risotto', seed });
      for (const r of [he, ris]) {
        expect(r.layers.map((l) => l.name).slice(0, 3)).toEqual(['stem', 'stage1.block0', 'stage1.block1']);
        expect(r.layers.length).toBe(DEPTH + 3);
        for (const l of r.layers) expect(positiveFinite(l.normA) && positiveFinite(l.normB), l.name).toBe(true);
        expect(Math.abs(r.inputCosine)).toBeLessThan(0.5);
      }
      const [heStem, heLast] = [he.layers[0].cosine, he.layers[DEPTH].cosine];
      const [risStem, risLast] = [ris.layers[0].cosine, ris.layers[DEPTH].cosine];
      expect(heLast).toBeGreaterThan(heStem + 0.3);
      expect(heLast).toBeGreaterThan(risLast + 0.3);
      // Risotto's blocks act on the looks-linear signal by an orthogonal map: inner
      // products of the signals are kept, the split outputs' cosine nearly so.
      for (const l of ris.layers.slice(1, DEPTH + 1)) expect(Math.abs(l.cosine - risStem), l.name).toBeLessThan(0.1);
      // He's norms grow with depth; Risotto's stay put.
      expect(he.layers[DEPTH].normA).toBeGreaterThan(4 * he.layers[0].normA);
      expect(ris.layers[DEPTH].normA / ris.layers[0].normA).toBeCloseTo(1, 3);
      expect(ctx.pool.getStats().inUseBytes).toBe(before);
    });
  }

  it('Fixup and SkipInit blocks are the identity at init: nothing changes through a stage', async () => {
    const ctx = await gpuTestContext();
    for (const scheme of ['fixup', 'skipinit'] as const) {
      const r = await signalForScheme({ ctx, config: smallConfig({ inputSize: 4, blocksPerStage: [3, 1, 1] }), scheme, seed: 3 });
      for (const l of r.layers.slice(1, 4)) {
        expect(l.cosine, `${scheme} ${l.name}`).toBeCloseTo(r.layers[0].cosine, 6);
        expect(l.normA / r.layers[0].normA, `${scheme} ${l.name}`).toBeCloseTo(1, 6);
      }
    }
  });

  it('equals the float64 CPU forward pass', async () => {
    const ctx = await gpuTestContext();
    const model = buildResNet(smallConfig({ inputSize: 5, blocksPerStage: [2, 1, 1], skip: 'C' }), 2);
    const values = new Map([...initHe(model, 8)].map(([id, v]) => [id, v.map(Math.fround)]));
    const rng = new RandomStream(4, Streams.test);
    const [a, b] = [rng.normalArray(75).map(Math.fround), rng.normalArray(75).map(Math.fround)];
    const r = await measureSignalPropagation(ctx, { model, values, inputs: [a, b] });
    const all = new Map(values);
    all.set(model.input, Float64Array.from([...a, ...b]));
    all.set(model.labels, new Float64Array(2));
    const fwd = runForward(model.graph, all, 'eval');
    const want = [model.stemOutput, ...model.blocks.map((bl) => bl.output)].map((id) => {
      const v = fwd.value(id);
      const h = v.length / 2;
      const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, xi, i) => s + xi * y[i], 0);
      const [va, vb] = [v.subarray(0, h), v.subarray(h)];
      const [na, nb] = [Math.sqrt(dot(va, va)), Math.sqrt(dot(vb, vb))];
      return [na, nb, dot(va, vb) / (na * nb)];
    });
    expectClose(r.layers.flatMap((l) => [l.normA, l.normB, l.cosine]), want.flat(), { atol: 1e-5, rtol: 1e-4 }, 'norms and cosines');
    await expect(measureSignalPropagation(ctx, { model: buildResNet(model.config, 3), values, inputs: [a, b] })).rejects.toThrow(/batch 2/);
    await expect(measureSignalPropagation(ctx, { model, values, inputs: [a, b.subarray(1)] })).rejects.toThrow(/74 values/);
  });
});

describe('gradient norms by block', () => {
  it('groups per-parameter norms (trainable params in graph order, as the train session lists them) into stem, blocks and head', () => {
    const model = buildResNet(smallConfig({ inputSize: 4, blocksPerStage: [1, 1, 1], batchNorm: true, learnRes: true, fixupBiases: true }), 2);
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
