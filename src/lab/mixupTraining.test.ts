// Mixup through the whole lab path (experiment field -> batcher -> run -> GPU session):
// every mixed step's gradients agree with the float64 interpreter, a seed repeats its
// losses, mixup changes them, and evaluation on a mixup model is the plain loss.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import type { StepValidation } from '../engine/webgpu/validate';
import { describeValidation } from '../engine/webgpu/validate';
import { gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { defaultResNetConfig } from '../nn/resnetConfig';
import { Comparison } from './comparison';
import { defaultExperiment } from './experimentFields';
import { type ExperimentConfig } from './experimentConfig';
import { tinyExperiment } from './configTesting';

const data = makeSyntheticShapes({ seed: 3, trainCount: 48, testCount: 16, size: 12 });

const tiny = (mixup: number): ExperimentConfig =>
  tinyExperiment({ model: { batchNorm: true }, augment: { ...defaultExperiment().augment, mixup } });

describe('mixup training', () => {
  it('agrees with the float64 reference on every mixed step, repeats, and differs from no mixup', { timeout: 300_000 }, async () => {
    const ctx = await gpuTestContext();
    const reports: StepValidation[] = [];
    const validated = await new Comparison(ctx, tiny(1), data, { validateSteps: 3, onValidation: (_k, v) => reports.push(v) }).run();
    expect(reports.map((v) => v.step)).toEqual([1, 2, 3]);
    for (const v of reports) {
      expect(v.divergence, describeValidation(v)).toBeUndefined();
      expect(v.tensors).toBeGreaterThan(10);
    }
    const [run] = validated.runs;
    expect(run.status).toBe('finished');
    expect(run.test.map((p) => p.step)).toEqual([3]);
    expect(Number.isFinite(run.test[0].loss)).toBe(true);
    const losses = (e: ExperimentConfig) => new Comparison(ctx, e, data).run().then((s) => s.runs[0].train.map((p) => p.loss));
    const again = await losses(tiny(1));
    expect(again).toEqual(run.train.map((p) => p.loss));
    expect(await losses(tiny(0))).not.toEqual(again);
  });

  it('evaluates a mixup model with the plain loss (second labels = labels, weight 1)', async () => {
    const ctx = await gpuTestContext();
    const cfg = { ...defaultResNetConfig(), inputChannels: 3, inputSize: 6, numClasses: 5, width: 4, blocksPerStage: [1, 1, 1] };
    const results = [];
    for (const mixup of [false, true]) {
      const model = buildResNet(cfg, 3, { mixup });
      expect(model.mix !== undefined).toBe(mixup);
      const values = new Map([...initHe(model, 7)].map(([id, v]) => [id, Float32Array.from(v)]));
      const { graph, input, labels, logits, loss, mix } = model;
      const session = new GpuTrainSession(ctx, {
        graph,
        input,
        labels,
        logits,
        loss,
        ...(mix && { mix }),
        values,
        optimizer: { kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 },
      });
      const r = rng(2);
      const x = Float32Array.from(r.normalArray(3 * 3 * 36));
      const y = Uint32Array.of(0, 4, 2);
      results.push(await session.evaluate(x, y));
      // A training step must say how the batch was mixed, and only to a mixup model.
      if (mixup) expect(() => session.runStep(x, y, 0.1)).toThrow(/built with mixup's loss: pass the batch's second labels and weight/);
      else
        expect(() => session.runStep(x, y, 0.1, { second: y, weight: 0.5 })).toThrow(
          /the batch is mixed \(mixup\) but the model was built without mixup/,
        );
      session.destroy();
    }
    expect(results[1].loss).toBeCloseTo(results[0].loss, 6);
    expect(results[1].correct).toBe(results[0].correct);
  });
});
