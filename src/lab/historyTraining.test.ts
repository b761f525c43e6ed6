// The training history on the GPU: the per-block gradient norms kept for a step are the
// norms of that step's float64 reference gradients, combined by block, and the learnable
// a_res / a_skip trajectory holds the values read from the weights at each read; a
// checkpoint carries the history into the resumed run.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { lossAndGradients } from '../engine/cpu/interpreter';
import { expectClose, gpuTestContext, rng } from '../engine/webgpu/testing';
import { defaultExperiment } from './experimentFields';
import { type ExperimentConfig } from './experimentConfig';
import { buildInitialised, datasetShape } from './modelFactory';
import { blockIndex } from './paramBlocks';
import { blockNorms } from './runHistory';
import { TrainingRun } from './trainingRun';

const data = makeSyntheticShapes({ seed: 5, trainCount: 16, testCount: 8, size: 12 });
const exp: ExperimentConfig = {
  ...defaultExperiment(),
  model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 4, skip: 'B', batchNorm: false },
  schemes: [{ id: 'he', model: { learnRes: true, learnSkip: true } }],
  optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0 },
  batchSize: 4,
  steps: 3,
  spectrumAt: [],
};

describe('training history on the GPU', () => {
  it('keeps per-block gradient norms equal to the reference and the scalars read from the weights', { timeout: 300_000 }, async () => {
    const ctx = await gpuTestContext();
    const shape = datasetShape(data);
    const { model, values } = buildInitialised(exp, exp.schemes[0], shape, exp.batchSize);
    const run = new TrainingRun(exp.schemes[0], 0, exp.seed);
    await run.compile(ctx, exp, shape, undefined, { concurrency: 0 });
    expect(run.state.status, run.state.message).toBe('running');

    const r = rng(7);
    const x = Float32Array.from(r.normalArray(4 * 3 * 12 * 12));
    const labels = Uint32Array.from({ length: 4 }, () => r.int(data.classNames.length));
    const cpu = new Map([...values].map(([id, v]) => [id, Float64Array.from(v)]));
    cpu.set(model.input, Float64Array.from(x));
    cpu.set(model.labels, Float64Array.from(labels));
    const ref = lossAndGradients(model.graph, cpu, model.loss, 'train');
    const params = model.graph.tensors.filter((t) => t.role === 'param');
    const { blocks, of } = blockIndex(params.map((p) => p.name));
    const paramNorms = params.map((p) => Math.hypot(...ref.grads.get(p.id)!));
    const expected = blockNorms(paramNorms, of, blocks.length);

    run.queueStep(x, labels, 0.1, 0);
    await run.collect();
    const h = run.state.history!;
    expect(h.blocks).toEqual(blocks);
    expect(h.gradNorms.steps).toEqual([1]);
    expectClose(
      Float64Array.from(h.gradNorms.rows[0]),
      Float64Array.from(expected),
      { atol: 1e-5, rtol: 2e-3 },
      'block grad norms at step 1',
    );
    expect(Math.min(...expected)).toBeGreaterThan(1e-6);

    const scalarIds = params.filter((p) => /\.(aRes|aSkip)$/.test(p.name)).map((p) => p.id);
    expect(h.scalarNames).toEqual(params.filter((p) => scalarIds.includes(p.id)).map((p) => p.name));
    expect(h.scalarNames.length).toBe(6);
    for (let k = 0; k < 2; k++) {
      run.queueStep(x, labels, 0.1, 0);
      run.queueStep(x, labels, 0.1, 0);
      await run.collect();
      const cp = await run.checkpoint();
      const j = h.scalars.steps.indexOf(cp.session!.step);
      expect(j, `scalars read at step ${cp.session!.step}`).toBeGreaterThanOrEqual(0);
      expect(run.state.history!.scalars.rows[j]).toEqual(scalarIds.map((id) => cp.session!.values.get(id)![0]));
    }
    expect(run.state.history!.scalars.steps).toEqual([1, 3, 5]);
    const aRes0 = run.state.history!.scalars.rows.map((row) => row[0]);
    expect(new Set(aRes0).size, 'a_res moves under SGD').toBe(3);
    expect(run.state.history!.gradNorms.steps).toEqual([1, 2, 3, 4, 5]);

    // A run resumed from a checkpoint goes on with the history it brought.
    const cp = await run.checkpoint();
    run.release();
    const resumed = new TrainingRun(exp.schemes[0], 0, exp.seed);
    await resumed.compile(ctx, exp, shape, cp, { concurrency: 0 });
    resumed.queueStep(x, labels, 0.1, 0);
    await resumed.collect();
    const after = resumed.state.history!;
    expect(after.gradNorms.steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.gradNorms.rows.slice(0, 5)).toEqual(cp.state.history!.gradNorms.rows);
    expect(after.scalars.steps).toEqual([1, 3, 5, 6]);
    resumed.release();
  });
});
