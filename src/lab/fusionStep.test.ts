// Fusion changes how a step is dispatched, not what it computes: the same ResNet step
// compiled with fusion on and off (same initial values, same batches, two steps so the
// optimizer state and BatchNorm running stats carry over) gives the same loss, gradients,
// parameters and running stats, and the fused program has fewer dispatches. The float64
// reference comparison of the fused step itself is stepEquality.test.ts (fusion is on by
// default there).
import { afterEach, describe, expect, it } from 'vitest';
import { lossAndGradients } from '../engine/cpu/interpreter';
import type { OptimizerSpec } from '../engine/optimizer';
import { setFusion } from '../engine/webgpu/fusion';
import { expectClose, gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import { initHe } from '../nn/init/he';
import { buildResNet, type ResNetModel } from '../nn/resnet';
import { defaultResNetConfig, type ResNetConfig } from '../nn/resnetConfig';

// Both programs evaluate the same float32 expressions (the fused kernels generate the
// unfused kernels' formulas); only the order in which a few gradient contributions are
// added can differ, a few ulp of each tensor's scale.
const TOL = { atol: 1e-6, rtol: 1e-5 };

const SGD: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 };

function batch(model: ResNetModel, seed: number) {
  const r = rng(seed);
  const shape = model.graph.tensors[model.input].shape;
  const x = Float32Array.from(r.normalArray(shape.reduce((a, b) => a * b, 1)));
  const labels = Uint32Array.from({ length: shape[0] }, () => r.int(model.config.numClasses));
  return { x, labels };
}

type Tuner = Awaited<ReturnType<typeof gpuTestContext>>['tuner'];
type VariantChooser = Pick<Tuner, 'choose'>;

/** Picks the hardware defaults (GEMM tiles): a software adapter's fixed choice is direct. */
const gemm: VariantChooser = { choose: (op) => op.default };

/** Picks the direct conv kernels, whose epilogue writes BatchNorm's statistics. */
const direct: VariantChooser = { choose: (op) => (op.variants.includes('direct') ? 'direct' : op.default) };

/** The device's limits with a lower storage-buffer count per shader stage. */
function withStorageLimit(limits: GPUSupportedLimits, n: number): GPUSupportedLimits {
  return new Proxy(limits, { get: (t, k) => (k === 'maxStorageBuffersPerShaderStage' ? n : t[k as keyof GPUSupportedLimits]) });
}

async function steps(model: ResNetModel, fusion: boolean, chooser?: VariantChooser, count = 2, maxStorage?: number) {
  const base = await gpuTestContext();
  const limits = maxStorage ? withStorageLimit(base.limits, maxStorage) : base.limits;
  const ctx = { ...base, limits, ...(chooser && { tuner: chooser as Tuner }) };
  const values = new Map([...initHe(model, 5)].map(([id, v]) => [id, Float32Array.from(v)]));
  setFusion(fusion);
  const session = new GpuTrainSession(ctx, {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values,
    optimizer: SGD,
  });
  for (const seed of [1, 2].slice(0, count)) {
    const { x, labels } = batch(model, seed);
    session.runStep(x, labels, 0.1);
  }
  const metrics = await session.readMetrics();
  const grads = await session.readGrads();
  const after = await session.readValues();
  const dispatches = session.dispatchesPerStep;
  session.destroy();
  return { metrics, grads, after, dispatches };
}

async function compare(cfg: Partial<ResNetConfig>, n = 2, chooser?: VariantChooser, maxStorage?: number) {
  const model = buildResNet({ ...defaultResNetConfig(), numClasses: 3, ...cfg }, n);
  const off = await steps(model, false, chooser, 2, maxStorage);
  const on = await steps(model, true, chooser, 2, maxStorage);
  expect(on.metrics.map((m) => m.loss)).toEqual(off.metrics.map((m) => expect.closeTo(m.loss, 5)));
  for (const [id, g] of off.grads) expectClose(on.grads.get(id)!, g, TOL, `grad ${model.graph.tensors[id].name}`);
  for (const [id, v] of off.after) expectClose(on.after.get(id)!, v, TOL, `value ${model.graph.tensors[id].name}`);
  return { on: on.dispatches, off: off.dispatches, model };
}

afterEach(() => setFusion(true));

describe('the fused step equals the unfused step', () => {
  it('ResNet, Type B, BatchNorm, odd sizes (5 channels, 7x7 input, stride 2), batch 2', async () => {
    const { on, off, model } = await compare(
      {
        inputChannels: 3,
        inputSize: 7,
        width: 5,
        blocksPerStage: [2, 1, 1],
        skip: 'B',
        batchNorm: true,
      },
      2,
      gemm,
    );
    // Each train-mode BatchNorm's apply joins the element-wise op after it, each ReLU's
    // backward mask joins the BatchNorm backward before it, and the statistics of every
    // BatchNorm that reads a conv come from the conv's epilogue (GEMM tiles here): at
    // least 3 per BN.
    const bns = model.graph.nodes.filter((n) => n.op === 'batchNorm').length;
    expect(off - on).toBeGreaterThanOrEqual(3 * bns);
  });

  it('with the direct conv kernels (BatchNorm statistics from the conv epilogue), Type B, batch 3', async () => {
    const { on, off, model } = await compare(
      { inputChannels: 3, inputSize: 9, width: 5, blocksPerStage: [1, 1, 1], skip: 'B', batchNorm: true },
      3,
      direct,
    );
    // Also the statistics pass of every BatchNorm that reads a conv, the backward's
    // finalize of every BatchNorm (it runs in the kernel that computes dx), the forward's
    // finalize of every BatchNorm whose apply is not shared with another BatchNorm's
    // (a projection block adds two), and the filter gradients' split-K sums (one dispatch).
    const bns = model.graph.nodes.filter((n) => n.op === 'batchNorm').length;
    const convs = model.graph.nodes.filter((n) => n.op === 'conv2d').length;
    expect(off - on).toBeGreaterThanOrEqual(5 * bns - 3 + convs - 1);
  });

  it("with WebGPU's default 8 storage buffers per stage: the same step, the finalize inside relu(bn(x))'s apply and every backward", async () => {
    const cfg = { inputChannels: 3, inputSize: 9, width: 5, blocksPerStage: [1, 1, 1], skip: 'B' as const, batchNorm: true };
    const eight = await compare(cfg, 3, direct, 8);
    const ample = await compare(cfg, 3, direct);
    // What does not fit in 8 takes its own pass: the forward finalize of the chains that
    // also read a skip (relu(x+bn(x)), one per identity block) and of the projection
    // blocks' second BatchNorm (ample has those too), and the epilogue sums of a residual
    // branch's gradient (relu's mask of two terms: one reduce pass each).
    const blocks = eight.model.blocks.length;
    expect(ample.on < eight.on, 'this device binds more than 8 (SwiftShader: 12)').toBe(true);
    expect(eight.on - ample.on).toBeLessThanOrEqual(2 * blocks);
  });

  it('with the direct conv kernels, the fused step equals the float64 reference step', async () => {
    const model = buildResNet(
      {
        ...defaultResNetConfig(),
        numClasses: 3,
        inputChannels: 2,
        inputSize: 7,
        width: 6,
        blocksPerStage: [1, 1, 1],
        skip: 'B',
        batchNorm: true,
      },
      2,
    );
    const on = await steps(model, true, direct, 1);
    const values = new Map([...initHe(model, 5)].map(([id, v]) => [id, Float64Array.from(Float32Array.from(v))]));
    const { x, labels } = batch(model, 1);
    values.set(model.input, Float64Array.from(x));
    values.set(model.labels, Float64Array.from(labels));
    const ref = lossAndGradients(model.graph, values, model.loss, 'train');
    expect(on.metrics[0].loss).toBeCloseTo(ref.loss, 4);
    // As stepEquality.test.ts: float32 through several layers incl. BatchNorm.
    for (const [id, g] of on.grads) expectClose(g, ref.grads.get(id)!, { atol: 2e-4, rtol: 2e-3 }, `grad ${model.graph.tensors[id].name}`);
  });

  it('ResNet, Type C, BatchNorm, learnable a_res / a_skip, batch 1', async () => {
    const { on, off } = await compare(
      { inputChannels: 2, inputSize: 5, width: 3, blocksPerStage: [1, 1, 1], skip: 'C', batchNorm: true, learnRes: true, learnSkip: true },
      1,
    );
    expect(on).toBeLessThan(off);
  });

  it('without BatchNorm: Fixup scalar biases, no post-add ReLU', async () => {
    const { on, off } = await compare({
      inputChannels: 3,
      inputSize: 6,
      width: 4,
      blocksPerStage: [1, 1, 1],
      skip: 'B',
      batchNorm: false,
      fixupBiases: true,
      learnRes: true,
      postAddRelu: false,
    });
    expect(on).toBeLessThanOrEqual(off);
  });
});
