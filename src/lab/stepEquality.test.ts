// The GPU training step equals the float64 CPU reference step on small ResNets: loss,
// every parameter gradient, the updated parameters and BatchNorm running stats.
import { describe, expect, it } from 'vitest';
import { applyMix, MixupStream } from '../data/mixup';
import { lossAndGradients } from '../engine/cpu/interpreter';
import { adamStep, clipGradNorm, sgdStep } from '../engine/cpu/optimizers';
import { isScalarParam, paramHyper, type OptimizerSpec } from '../engine/optimizer';
import { expectClose, gpuTestContext, rng } from '../engine/webgpu/testing';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import type { InitValues } from '../nn/init/common';
import { initHe } from '../nn/init/he';
import { initRisotto } from '../nn/init/risotto';
import { buildResNet, type ResNetModel } from '../nn/resnet';
import { defaultResNetConfig, resnetPreset, type ResNetConfig } from '../nn/resnetConfig';

function tinyConfig(over: Partial<ResNetConfig>): ResNetConfig {
  return { ...defaultResNetConfig(), inputChannels: 3, inputSize: 6, numClasses: 5, width: 4, blocksPerStage: [1, 1, 1], ...over };
}

function batchFor(model: ResNetModel, seed: number) {
  const r = rng(seed);
  const [n] = model.graph.tensors[model.input].shape;
  const x = Float32Array.from(r.normalArray(model.graph.tensors[model.input].shape.reduce((a, b) => a * b, 1)));
  const labels = Uint32Array.from({ length: n }, () => r.int(model.config.numClasses));
  return { x, labels };
}

const f32 = (v: Float64Array) => Float32Array.from(v);
const f64 = (v: Float32Array) => Float64Array.from(v);

// float32 GPU vs float64 reference through a few layers incl. BatchNorm: errors of a
// few 1e-6 relative to each tensor's scale; 2e-4 leaves room without hiding a wrong op.
const TOL = { atol: 2e-4, rtol: 2e-3 };

async function compareStep(
  cfg: ResNetConfig,
  opt: OptimizerSpec,
  lr: number,
  init0: (m: ResNetModel, seed: number) => InitValues = initHe,
  mixup = 0,
) {
  const ctx = await gpuTestContext();
  const model = buildResNet(cfg, 3, { mixup: mixup > 0 });
  const init = init0(model, 7);
  const values32 = new Map([...init].map(([id, v]) => [id, f32(v)]));
  // The CPU works on the float32-rounded initial values so both start identically.
  const cpuValues = new Map([...values32].map(([id, v]) => [id, f64(v)]));
  const { x, labels } = batchFor(model, 11);
  // Mixed as the batcher mixes: lambda and the permutation from the mixup stream.
  const mix =
    model.mix && applyMix(new MixupStream(mixup, 5).draw(0, 0, 3), x, labels, new Uint32Array(3), new Float32Array(x.length), x.length / 3);
  if (mix) expect(new Set(mix.second).size + new Set(labels).size, 'the mix has labels to mix').toBeGreaterThan(2);
  cpuValues.set(model.input, f64(x));
  cpuValues.set(model.labels, Float64Array.from(labels));
  if (model.mix && mix) {
    cpuValues.set(model.mix.second, Float64Array.from(mix.second));
    cpuValues.set(model.mix.weight, Float64Array.of(Math.fround(mix.weight)));
  }

  const before = ctx.pool.getStats().inUseBytes;
  const session = new GpuTrainSession(ctx, {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    ...(model.mix && { mix: model.mix }),
    values: values32,
    optimizer: opt,
  });
  session.runStep(x, labels, lr, mix);
  const [metrics] = await session.readMetrics();
  const grads = await session.readGrads();
  const after = await session.readValues();

  const ref = lossAndGradients(model.graph, cpuValues, model.loss, 'train');
  expect(metrics.loss).toBeCloseTo(ref.loss, 4);
  // The GPU clips its gradients in place; clip the reference the same way.
  if (opt.clipNorm) {
    const norm = clipGradNorm(
      session.params.map((p) => ref.grads.get(p.id)!),
      opt.clipNorm,
    );
    expect(metrics.gradNorm / norm).toBeCloseTo(1, 4);
    expect(norm).toBeGreaterThan(opt.clipNorm); // the test must actually clip
  }
  for (const p of session.params) expectClose(grads.get(p.id)!, ref.grads.get(p.id)!, TOL, `grad ${p.name}`);

  const state = new Map<number, Float64Array[]>();
  const start = new Map(session.params.map((p) => [p.id, Float64Array.from(cpuValues.get(p.id)!)]));
  for (const p of session.params) {
    const param = cpuValues.get(p.id)!;
    const g = ref.grads.get(p.id)!;
    // Each parameter group's own learning rate and weight decay (torch param groups).
    const h = paramHyper(opt, p.shape, lr);
    if (opt.kind === 'sgd') {
      const vel = new Float64Array(param.length);
      sgdStep(param, g, vel, {
        lr: h.lr,
        momentum: opt.momentum,
        weightDecay: h.weightDecay,
        dampening: 0,
        nesterov: opt.nesterov,
        firstStep: true,
      });
      state.set(p.id, [vel]);
    } else {
      const [m, v] = [new Float64Array(param.length), new Float64Array(param.length)];
      adamStep(param, g, m, v, {
        lr: h.lr,
        beta1: opt.beta1,
        beta2: opt.beta2,
        eps: opt.eps,
        weightDecay: h.weightDecay,
        decoupled: opt.decoupled,
        step: 1,
      });
    }
  }
  // By hand for the scalars of a group without weight decay: Nesterov's first step moves
  // w by -lr * scale * (1 + momentum) * g.
  if (opt.scalarGroup && opt.kind === 'sgd' && opt.scalarGroup.weightDecay === 0) {
    const scalars = session.params.filter((p) => isScalarParam(p.shape));
    expect(scalars.length).toBeGreaterThan(0);
    for (const p of scalars) {
      const g = ref.grads.get(p.id)![0];
      const want = start.get(p.id)![0] - lr * opt.scalarGroup.lrScale * (opt.nesterov ? 1 + opt.momentum : 1) * g;
      expect(after.get(p.id)![0], `hand-computed step of ${p.name}`).toBeCloseTo(want, 5);
    }
  }
  for (const t of model.graph.tensors) {
    if (t.role === 'param' || t.role === 'state' || t.role === 'const')
      expectClose(after.get(t.id)!, cpuValues.get(t.id)!, TOL, `updated ${t.name}`);
  }
  expect(Number.isFinite(metrics.gradNorm)).toBe(true);
  expect(metrics.nonFiniteValues).toBe(0);
  session.destroy();
  expect(ctx.pool.getStats().inUseBytes).toBe(before);
}

const SGD: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
const ADAMW: OptimizerSpec = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true };

describe('GPU training step equals the float64 CPU step', () => {
  it('Type B, BatchNorm, stride 2, SGD Nesterov + weight decay', () => compareStep(tinyConfig({ skip: 'B', batchNorm: true }), SGD, 0.1));
  it('Type C, BatchNorm, learnable scalars, AdamW', () =>
    compareStep(tinyConfig({ skip: 'C', batchNorm: true, learnRes: true, learnSkip: true }), ADAMW, 1e-3));
  it('Type B without BatchNorm, Fixup biases, learnable a_res', () =>
    compareStep(tinyConfig({ skip: 'B', batchNorm: false, fixupBiases: true, learnRes: true }), SGD, 0.05));
  it('Type B, BatchNorm, gradient-norm clipping, SGD', () =>
    compareStep(tinyConfig({ skip: 'B', batchNorm: true }), { ...SGD, clipNorm: 0.05 }, 0.1));
  it('parameter groups: Fixup scalars at 0.1 lr without weight decay, SGD Nesterov', () =>
    compareStep(
      tinyConfig({ skip: 'B', batchNorm: false, fixupBiases: true, learnRes: true }),
      { ...SGD, scalarGroup: { lrScale: 0.1, weightDecay: 0 } },
      0.5,
    ));
  it('parameter groups: learned a_res / a_skip at 3x lr with their own decay, AdamW', () =>
    compareStep(
      tinyConfig({ skip: 'C', batchNorm: true, learnRes: true, learnSkip: true }),
      { ...ADAMW, scalarGroup: { lrScale: 3, weightDecay: 0.5 } },
      1e-2,
    ));
  it('Bottleneck Type C with the ImageNet stem (7x7 stride 2 + max-pool), BatchNorm', () =>
    compareStep(tinyConfig({ block: 'bottleneck', skip: 'C', batchNorm: true, stem: 'imagenet', inputSize: 13 }), SGD, 0.1));
  it('Bottleneck Type B without BatchNorm, Fixup biases, learnable a_res', () =>
    compareStep(
      tinyConfig({ block: 'bottleneck', skip: 'B', blocksPerStage: [2, 1, 1], batchNorm: false, fixupBiases: true, learnRes: true }),
      SGD,
      0.05,
    ));
  // 16 blocks deep, He + BatchNorm gradients grow ~50x by the stem and float32 rounding
  // with them; Risotto (Type C, no BN) keeps every layer's signal and gradient at scale,
  // with every weight non-zero, so the comparison stays tight.
  const resnet50 = (over: Partial<ResNetConfig>): ResNetConfig => ({
    ...resnetPreset('resnet50'),
    width: 8,
    inputSize: 8,
    numClasses: 5,
    skip: 'C',
    batchNorm: false,
    ...over,
  });
  it('ResNet-50 (bottleneck 3-4-6-3) at width 8, Risotto, SGD Nesterov', () => compareStep(resnet50({}), SGD, 0.1, initRisotto));
  it('ResNet-50 at width 8 with the ImageNet stem (7x7 stride 2 + max-pool), Risotto', () =>
    compareStep(resnet50({ stem: 'imagenet', inputSize: 20 }), SGD, 0.1, initRisotto));
  it('mixup (alpha 1): the two-label loss, Type B, BatchNorm, SGD Nesterov', () =>
    compareStep(tinyConfig({ skip: 'B', batchNorm: true }), SGD, 0.1, initHe, 1));
  it('mixup (alpha 0.2) with Fixup biases and the scalar group, SGD Nesterov', () =>
    compareStep(
      tinyConfig({ skip: 'B', batchNorm: false, fixupBiases: true, learnRes: true }),
      { ...SGD, scalarGroup: { lrScale: 0.1, weightDecay: 0 } },
      0.5,
      initHe,
      0.2,
    ));
  it('Type C without BatchNorm, ReZero (no post-add ReLU)', () =>
    compareStep(tinyConfig({ skip: 'C', batchNorm: false, postAddRelu: false, learnRes: true }), SGD, 0.05));
});
