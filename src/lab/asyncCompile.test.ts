// GpuTrainSession.create compiles every pipeline the step needs asynchronously, with
// progress, before baking the program: afterwards the synchronous path finds all of them
// compiled, and both sessions compute the same step.
import { describe, expect, it } from 'vitest';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { defaultResNetConfig } from '../nn/resnetConfig';
import { numel } from '../engine/graph';
import { gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession, type TrainSessionSpec } from '../engine/webgpu/trainSession';

describe('GpuTrainSession.create: pipelines compiled asynchronously first', () => {
  it('reports progress to the last pipeline, leaves nothing for the sync path, and steps the same', async () => {
    const ctx = await gpuTestContext();
    const model = buildResNet(
      { ...defaultResNetConfig(), inputChannels: 3, inputSize: 7, numClasses: 5, width: 4, blocksPerStage: [1, 1, 1], batchNorm: true },
      3,
    );
    const values = new Map([...initHe(model, 3)].map(([id, v]) => [id, Float32Array.from(v)]));
    const spec: TrainSessionSpec = {
      graph: model.graph,
      input: model.input,
      labels: model.labels,
      logits: model.logits,
      loss: model.loss,
      values,
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
    };

    const before = ctx.pipelines.size;
    const progress: [number, number][] = [];
    const a = await GpuTrainSession.create(ctx, spec, (done, total) => progress.push([done, total]));
    const total = progress[0][1];
    expect(total).toBeGreaterThan(10);
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(ctx.pipelines.size - before).toBe(total);

    // The synchronous constructor compiles nothing more: the async path built exactly
    // the pipelines the program uses.
    const compileMs = ctx.pipelines.compileMs;
    const b = new GpuTrainSession(ctx, spec);
    expect(ctx.pipelines.size - before).toBe(total);
    expect(ctx.pipelines.compileMs).toBe(compileMs);
    const again: number[] = [];
    const c = await GpuTrainSession.create(ctx, spec, (_, t) => again.push(t));
    expect(again).toEqual([0]);

    const r = rng(4);
    const x = Float32Array.from(r.normalArray(numel(model.graph.tensors[model.input].shape)));
    const labels = Uint32Array.from({ length: 3 }, () => r.int(5));
    for (const s of [a, b]) s.runStep(x, labels, 0.1);
    const [[ma], [mb]] = [await a.readMetrics(), await b.readMetrics()];
    expect(ma.loss).toBe(mb.loss);
    const [va, vb] = [await a.readValues(), await b.readValues()];
    for (const p of a.params) expect(va.get(p.id), p.name).toEqual(vb.get(p.id));
    for (const s of [a, b, c]) s.destroy();
  });
});
