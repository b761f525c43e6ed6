// VALIDATE mode: a correct GPU step agrees with the float64 reference, and a deliberately
// broken kernel (ReLU backward replaced by a ReLU of the incoming gradient) is named:
// the first gradient to diverge, in backward order, is the last residual block's.

import { afterEach, describe, expect, it } from 'vitest';
import { initHe } from '../nn/init/he';
import { buildResNet } from '../nn/resnet';
import { defaultResNetConfig } from '../nn/resnetConfig';
import { numel } from '../engine/graph';
import type { OptimizerSpec } from '../engine/optimizer';
import { setFusion } from '../engine/webgpu/fusion';
import { gpuOps } from '../engine/webgpu/opTable';
import { gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import { describeValidation, validateStep } from '../engine/webgpu/validate';

const SGD: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4, clipNorm: 0.5 };
const reluBackward = gpuOps.relu.backward;

async function validateSteps(optimizer: OptimizerSpec, lr = 0.1, steps = 2) {
  const ctx = await gpuTestContext();
  const model = buildResNet(
    { ...defaultResNetConfig(), inputChannels: 3, inputSize: 6, numClasses: 5, width: 4, blocksPerStage: [1, 1, 1], batchNorm: true },
    3,
  );
  const values = new Map([...initHe(model, 7)].map(([id, v]) => [id, Float32Array.from(v)]));
  const session = new GpuTrainSession(ctx, {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values,
    optimizer,
  });
  const r = rng(5);
  const reports = [];
  for (let step = 0; step < steps; step++) {
    const x = Float32Array.from(r.normalArray(numel(model.graph.tensors[model.input].shape)));
    const labels = Uint32Array.from({ length: model.graph.tensors[model.labels].shape[0] }, () => r.int(5));
    reports.push(await validateStep(session, x, labels, lr));
  }
  session.destroy();
  return reports;
}

describe('VALIDATE: GPU steps against the float64 interpreter', () => {
  afterEach(() => {
    gpuOps.relu.backward = reluBackward;
    setFusion(true);
  });

  it('reports agreement for correct kernels, step after step', async () => {
    const reports = await validateSteps(SGD);
    expect(reports.map((v) => v.step)).toEqual([1, 2]);
    for (const v of reports) {
      expect(v.divergence, describeValidation(v)).toBeUndefined();
      expect(v.tensors).toBeGreaterThan(10);
      expect(v.worstRatio).toBeLessThan(1);
    }
    expect(describeValidation(reports[0])).toMatch(/step 1: \d+ gradients agree/);
  });

  it('a diverged training is named as such, not as a kernel error', async () => {
    // lr 1e36: step 1 is compared; after it the weights are ~1e36, the float64 reference
    // leaves float32's range, and later steps start from Inf / NaN weights.
    const reports = await validateSteps({ kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 }, 1e36, 3);
    expect(reports[0].divergence, describeValidation(reports[0])).toBeUndefined();
    expect(reports[0].overflow).toBeUndefined();
    const [, overflow, nonFinite] = reports;
    expect(overflow.divergence).toBeUndefined();
    expect(overflow.overflow!.max).toBeGreaterThan(3.4e38);
    expect(describeValidation(overflow)).toMatch(
      /^step 2: not compared: the float64 reference reaches \|.+\| = .*beyond float32's 3\.40e\+38: the training diverged/,
    );
    expect(nonFinite.divergence).toBeUndefined();
    expect(describeValidation(nonFinite)).toMatch(
      /^step 3: not compared: the weights are already NaN or Inf \(.+\); the run diverged earlier/,
    );
  });

  it('names the first gradient a broken kernel corrupts, with its tolerance', async () => {
    const reluForward = gpuOps.relu.forward;
    gpuOps.relu.backward = (k, io, a) => {
      if (io.grads[0]) reluForward(k, { ...io, inputs: [io.dOut], out: io.grads[0] }, a);
    };
    // The op table's ReLU backward runs in the unfused program (fusion generates the mask
    // inside the kernels around it instead).
    setFusion(false);
    // No clipping here: a corrupted gradient would change the clip factor of every other.
    const [v] = await validateSteps({ ...SGD, clipNorm: undefined });
    expect(v.divergence).toBeDefined();
    // The head (after the last ReLU) is unaffected; the last block's parameters are the
    // first the broken backward reaches.
    expect(v.divergence!.tensor).toMatch(/^d\(stage3\.block0\./);
    expect(Math.abs(v.divergence!.got - v.divergence!.want)).toBeGreaterThan(v.divergence!.allowed);
    expect(describeValidation(v)).toMatch(/d\(stage3\.block0\.[\w.]+\) diverges first: element \d+ is .*allowed \|err\|/);
  });
});
