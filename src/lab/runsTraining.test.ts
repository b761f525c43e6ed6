// Runs with their own model settings, trained on the GPU: a four-run comparison (Risotto,
// Risotto + BN, He + BN, Fixup) equals four one-run experiments step by step, and a run
// with learnable a_res trains it, with the float64 reference's gradient.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { lossAndGradients } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import { toOptimizerSpec } from '../nn/optimizerConfig';
import { Comparison } from './comparison';
import { tinyExperiment } from './configTesting';
import { type ExperimentConfig, type RunChoice } from './experimentConfig';
import { buildInitialised, datasetShape } from './modelFactory';

const data = makeSyntheticShapes({ seed: 5, trainCount: 40, testCount: 16, size: 12 });

const experiment = (schemes: RunChoice[]): ExperimentConfig => tinyExperiment({ schemes, steps: 4, evalEvery: 4 });

const FOUR: RunChoice[] = [
  { id: 'risotto' },
  { id: 'risotto', model: { batchNorm: true } },
  { id: 'he', model: { batchNorm: true } },
  { id: 'fixup' },
];

describe('runs with their own model settings on the GPU', () => {
  it('a four-run comparison equals four one-run experiments, step by step', { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const together = await new Comparison(ctx, experiment(FOUR), data, { readEvery: 2 }).run();
    expect(together.runs.map((r) => r.label)).toEqual(['Risotto', 'Risotto + BN', 'He (Kaiming) normal + BN', 'Fixup']);
    expect(together.runs.map((r) => r.key)).toEqual(['risotto', 'risotto[bn=1]', 'he[bn=1]', 'fixup']);
    for (const [i, run] of FOUR.entries()) {
      const alone = await new Comparison(ctx, experiment([run]), data, { readEvery: 3 }).run();
      const [a, b] = [together.runs[i], alone.runs[0]];
      expect(a.status, a.key).toBe('finished');
      expect(a.train.map((p) => p.step)).toEqual([1, 2, 3, 4]);
      expect(a.train, a.key).toEqual(b.train);
      expect(a.test, a.key).toEqual(b.test);
      expect(a.paramCount, a.key).toBe(b.paramCount);
    }
    // BatchNorm per run is real: the same scheme trains differently with it, and has its parameters.
    const [plain, withBn] = together.runs;
    expect(plain.train[0].loss).not.toBe(withBn.train[0].loss);
    expect(withBn.paramCount).toBeGreaterThan(plain.paramCount);
  });

  it('learnable a_res moves under SGD, with the float64 reference gradient', { timeout: 300_000 }, async () => {
    const ctx = await gpuTestContext();
    const exp = experiment([{ id: 'he', model: { learnRes: true } }]);
    const { model, values } = buildInitialised(exp, exp.schemes[0], datasetShape(data), 4);
    const optimizer = toOptimizerSpec({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0 });
    const values32 = new Map([...values].map(([id, v]) => [id, Float32Array.from(v)]));
    const session = new GpuTrainSession(ctx, {
      graph: model.graph,
      input: model.input,
      labels: model.labels,
      logits: model.logits,
      loss: model.loss,
      values: values32,
      optimizer,
    });
    const aRes = model.params.filter((p) => p.kind === 'aRes');
    const aSkip = model.params.filter((p) => p.kind === 'aSkip');
    expect(aRes.length).toBe(3);
    const trained = new Set(session.params.map((p) => p.id));
    expect(aRes.every((p) => trained.has(p.id))).toBe(true);
    expect(aSkip.some((p) => trained.has(p.id))).toBe(false);

    const r = rng(3);
    const x = Float32Array.from(r.normalArray(4 * 3 * 12 * 12));
    const labels = Uint32Array.from({ length: 4 }, () => r.int(data.classNames.length));
    const cpu = new Map([...values32].map(([id, v]) => [id, Float64Array.from(v)]));
    cpu.set(model.input, Float64Array.from(x));
    cpu.set(model.labels, Float64Array.from(labels));
    const ref = lossAndGradients(model.graph, cpu, model.loss, 'train');

    session.runStep(x, labels, 0.1);
    await session.readMetrics();
    const grads = await session.readGrads();
    const after = await session.readValues();
    for (const p of aRes) {
      const g = ref.grads.get(p.id)!;
      expect(Math.abs(g[0]), `d a_res of block ${p.block}`).toBeGreaterThan(1e-6);
      expectClose(grads.get(p.id)!, g, { atol: 2e-4, rtol: 2e-3 }, `grad a_res ${p.block}`);
      // First SGD step: the velocity is the gradient.
      expectClose(after.get(p.id)!, Float64Array.of(1 - 0.1 * g[0]), { atol: 2e-5, rtol: 1e-4 }, `a_res ${p.block} after one step`);
    }
    for (const p of aSkip) expect(after.get(p.id)![0]).toBe(1);
    for (let s = 0; s < 3; s++) session.runStep(x, labels, 0.1);
    await session.readMetrics();
    const later = await session.readValues();
    const moved = aRes.map((p) => later.get(p.id)![0]);
    expect(new Set(moved).size).toBe(3);
    for (const v of moved) expect(Math.abs(v - 1)).toBeGreaterThan(1e-4);
    session.destroy();
  });
});
