// The scalar parameter group on the GPU session: it changes the step (the 1-element
// parameters move at their own rate), and a checkpoint taken from a grouped session
// resumes into the same trajectory, also when that checkpoint crosses groupings (the
// saved optimizer state is in the plain layout). Step values are in stepEquality.test.ts.

import { describe, expect, it } from 'vitest';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { defaultResNetConfig } from '../nn/resnetConfig';
import type { OptimizerSpec } from '../engine/optimizer';
import { gpuTestContext, rng } from '../engine/webgpu/testing';
import { flatLayout } from '../engine/webgpu/flatParams';
import { GpuTrainSession, type SessionCheckpoint } from '../engine/webgpu/trainSession';

const model = buildResNet(
  {
    ...defaultResNetConfig(),
    inputSize: 6,
    numClasses: 5,
    width: 4,
    blocksPerStage: [1, 1, 1],
    batchNorm: false,
    fixupBiases: true,
    learnRes: true,
  },
  3,
);
const params = model.graph.tensors.filter((t) => t.role === 'param');
const init = new Map([...initHe(model, 3)].map(([id, v]) => [id, Float32Array.from(v)]));
const r = rng(5);
const x = Float32Array.from(r.normalArray(3 * 3 * 6 * 6));
const labels = Uint32Array.of(0, 3, 4);
const SGD: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 1e-3 };
const GROUPED: OptimizerSpec = { ...SGD, scalarGroup: { lrScale: 0.1, weightDecay: 0 } };

async function train(
  opt: OptimizerSpec,
  steps: number,
  from?: SessionCheckpoint,
): Promise<{ values: Map<number, Float32Array>; cp: SessionCheckpoint }> {
  const ctx = await gpuTestContext();
  const values = from ? from.values : init;
  const s = new GpuTrainSession(ctx, {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values,
    optimizer: opt,
    ...(from && { resume: { step: from.step, optimizerState: from.optimizerState } }),
  });
  for (let i = 0; i < steps; i++) s.runStep(x, labels, 0.1);
  const cp = await s.checkpoint();
  s.destroy();
  return { values: cp.values, cp };
}

describe('scalar parameter group on the GPU', () => {
  it('moves the scalars differently, and only them', async () => {
    const plain = (await train(SGD, 1)).values;
    const grouped = (await train(GROUPED, 1)).values;
    for (const t of model.graph.tensors.filter((u) => u.role === 'param')) {
      const same = plain.get(t.id)!.every((v, k) => v === grouped.get(t.id)![k]);
      expect(same, t.name).toBe(t.shape.reduce((a, b) => a * b, 1) !== 1);
    }
  });

  it('resumes a grouped checkpoint into the uninterrupted trajectory; the plain layout crosses groupings', async () => {
    const straight = (await train(GROUPED, 3)).values;
    const half = await train(GROUPED, 1);
    const resumed = (await train(GROUPED, 2, half.cp)).values;
    for (const [id, v] of straight) expect(resumed.get(id), model.graph.tensors[id].name).toEqual(v);
    // After one step the non-scalar velocities of a plain and a grouped session agree;
    // both checkpoints hold them at the plain layout's offsets.
    const plainHalf = await train(SGD, 1);
    const layout = flatLayout(params);
    params.forEach((t, i) => {
      if (t.shape.reduce((a, b) => a * b, 1) === 1) return;
      const at = (cp: SessionCheckpoint) => cp.optimizerState[0].subarray(layout.offsets[i], layout.offsets[i] + layout.lengths[i]);
      expect(at(half.cp), t.name).toEqual(at(plainHalf.cp));
    });
    // A grouped checkpoint resumes in a plain session too (same length, plain layout).
    expect((await train(SGD, 1, half.cp)).cp.step).toBe(2);
  });
});
