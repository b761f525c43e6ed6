// The peer model for the training-step bench: our ResNet (BN, Type B skips) rebuilt
// from tfjs-core ops in NHWC and started from OUR initial values, so both engines train
// the same network from the same weights and their losses can be compared step by step.
// Bench only; not a TF.js port of the engine.

import { createRequire } from 'node:module';
import type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import type { BnIds, ResNetModel } from '../src/nn/resnet';
import { DEFAULT_BN_EPS, DEFAULT_BN_MOMENTUM } from '../src/nn/resnetConfig';
import type { Tf } from './tfPeer';

interface Bn {
  gamma: Variable;
  beta: Variable;
  mean: Variable;
  variance: Variable;
}

interface Block {
  stride: number;
  conv1: Variable;
  bn1: Bn;
  conv2: Variable;
  bn2: Bn;
  skip?: { conv: Variable; bn: Bn };
}

export interface TfResNet {
  /** Queues one SGD step on (x NHWC, one-hot labels) and returns its loss (before the update). */
  step(x: Float32Array, oneHot: Float32Array): Scalar;
  dispose(): void;
}

export interface TfStepOptions {
  lr: number;
  momentum: number;
  weightDecay: number;
}

let instances = 0;
let gradientsRegistered = false;

/** tfjs-core's Node bundle ships no gradient functions (the tfjs union package adds
 * them); the per-op ESM files register into the same global registry. `require` so
 * that tsx resolves their extensionless imports the CommonJS way. */
function registerGradients(): void {
  if (gradientsRegistered) return;
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');
  gradientsRegistered = true;
}

/** NCHW [n, c, h, w] -> NHWC, for feeding TF.js the same batch as our engine. */
export function toNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
  return out;
}

export function buildTfResNet(tf: Tf, model: ResNetModel, values: ReadonlyMap<number, Float64Array>, opt: TfStepOptions): TfResNet {
  const cfg = model.config;
  if (!cfg.batchNorm || cfg.fixupBiases || cfg.learnRes || cfg.learnSkip || !cfg.postAddRelu) {
    throw new Error('buildTfResNet mirrors BN ResNets with fixed a_res = a_skip = 1 and post-add ReLU only');
  }
  registerGradients();
  const tag = `rn${instances++}`;
  const trainable: Variable[] = [];
  const g = model.graph.tensors;
  const idOf = (name: string) => g.findIndex((t) => t.name === name);
  const val = (id: number) => {
    const v = values.get(id);
    if (!v) throw new Error(`no initial value for ${g[id].name}`);
    return v;
  };
  // tidy frees the staging tensor; the variable keeps its own copy.
  const variable = (make: () => Tensor, id: number, train: boolean) => {
    const v = tf.tidy(() => tf.variable(make(), train, `${tag}/${g[id].name}`));
    if (train) trainable.push(v);
    return v;
  };
  // OIHW (ours, PyTorch) -> HWIO (TF.js).
  const conv = (id: number) => {
    const [o, i, kh, kw] = g[id].shape;
    return variable(() => tf.transpose(tf.tensor4d(Float32Array.from(val(id)), [o, i, kh, kw]), [2, 3, 1, 0]), id, true);
  };
  const vec = (id: number, train: boolean) => variable(() => tf.tensor1d(Float32Array.from(val(id))), id, train);
  const bn = (ids: BnIds): Bn => ({
    gamma: vec(ids.gamma, true),
    beta: vec(ids.beta, true),
    mean: vec(ids.runningMean, false),
    variance: vec(ids.runningVar, false),
  });
  // The aRes / aSkip consts are 1 (asserted below) and so are left out here.
  for (const p of model.params)
    if ((p.kind === 'aRes' || p.kind === 'aSkip') && val(p.id)[0] !== 1) throw new Error(`${p.name} must be 1 for the TF.js twin`);

  const stemConv = conv(model.params.find((p) => p.kind === 'stemConv')!.id);
  const stemBn = bn({
    gamma: idOf('stem.bn.gamma'),
    beta: idOf('stem.bn.beta'),
    runningMean: idOf('stem.bn.runningMean'),
    runningVar: idOf('stem.bn.runningVar'),
  });
  const blocks: Block[] = model.blocks.map((b) => {
    const p = b.params;
    if (!p.bn1 || !p.bn2) throw new Error('BN ids missing');
    const skip = p.skipConv !== undefined && p.skipBn ? { conv: conv(p.skipConv), bn: bn(p.skipBn) } : undefined;
    return { stride: b.stride, conv1: conv(p.conv1), bn1: bn(p.bn1), conv2: conv(p.conv2), bn2: bn(p.bn2), skip };
  });
  const fcWId = model.params.find((p) => p.kind === 'fcWeight')!.id;
  const [classes, features] = g[fcWId].shape;
  const fcW = variable(() => tf.transpose(tf.tensor2d(Float32Array.from(val(fcWId)), [classes, features])), fcWId, true);
  const fcB = vec(model.params.find((p) => p.kind === 'fcBias')!.id, true);

  const eps = cfg.bnEps ?? DEFAULT_BN_EPS;
  const bnMomentum = cfg.bnMomentum ?? DEFAULT_BN_MOMENTUM;
  const optimizer = tf.train.momentum(opt.lr, opt.momentum);
  const byName = new Map(trainable.map((v) => [v.name, v]));

  // Batch statistics (tf.moments) as PyTorch's BN uses in training; kept past the
  // gradient tape so the running averages can be updated after the step.
  type Stats = { bn: Bn; mean: Tensor; variance: Tensor; count: number }[];
  const batchNorm = (x: Tensor4D, p: Bn, stats: Stats): Tensor4D => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    stats.push({ bn: p, mean: tf.keep(mean), variance: tf.keep(variance), count: x.size / x.shape[3] });
    return tf.batchNorm4d(x, mean as Tensor1D, variance as Tensor1D, p.beta as Tensor1D, p.gamma as Tensor1D, eps);
  };
  // Explicit symmetric padding (k-1)/2 = PyTorch's; 'same' would pad stride-2 convs on
  // the bottom/right only and shift every sampled window by one pixel.
  const convBn = (x: Tensor4D, w: Variable, stride: number, p: Bn, stats: Stats) =>
    batchNorm(tf.conv2d(x, w as Tensor4D, stride, (w.shape[0] - 1) / 2), p, stats);

  const lossOf = (x: Tensor4D, y: Tensor2D, stats: Stats): Scalar => {
    let h = tf.relu(convBn(x, stemConv, 1, stemBn, stats));
    for (const b of blocks) {
      const r = convBn(tf.relu(convBn(h, b.conv1, b.stride, b.bn1, stats)), b.conv2, 1, b.bn2, stats);
      const s = b.skip ? convBn(h, b.skip.conv, b.stride, b.skip.bn, stats) : h;
      h = tf.relu(tf.add(s, r) as Tensor4D);
    }
    const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]) as Tensor2D, fcW as Tensor2D), fcB);
    return tf.losses.softmaxCrossEntropy(y, logits) as Scalar;
  };

  const [, c, s] = g[model.input].shape;
  const batch = model.batch;
  return {
    step(xData, oneHot) {
      return tf.tidy(() => {
        const x = tf.tensor4d(xData, [batch, s, s, c]);
        const y = tf.tensor2d(oneHot, [batch, classes]);
        const stats: Stats = [];
        const { value, grads } = tf.variableGrads(() => lossOf(x, y, stats), trainable);
        // PyTorch's coupled weight decay: grad += wd * param, on every parameter, then
        // tf.train.momentum's accum = m * accum + grad; param -= lr * accum is exactly
        // torch.optim.SGD(momentum=m, dampening=0, nesterov=False).
        const decayed = Object.entries(grads).map(([name, gr]) => ({
          name,
          tensor: tf.add(gr, tf.mul(byName.get(name)!, opt.weightDecay)),
        }));
        optimizer.applyGradients(decayed);
        for (const st of stats) {
          // PyTorch keeps the unbiased variance in the running average.
          st.bn.mean.assign(tf.add(tf.mul(st.bn.mean, 1 - bnMomentum), tf.mul(st.mean, bnMomentum)));
          st.bn.variance.assign(
            tf.add(tf.mul(st.bn.variance, 1 - bnMomentum), tf.mul(st.variance, (bnMomentum * st.count) / (st.count - 1))),
          );
          st.mean.dispose();
          st.variance.dispose();
        }
        return value;
      });
    },
    dispose() {
      optimizer.dispose();
      for (const v of [stemConv, ...Object.values(stemBn), fcW, fcB]) v.dispose();
      for (const b of blocks) {
        for (const v of [b.conv1, b.conv2, ...Object.values(b.bn1), ...Object.values(b.bn2)]) v.dispose();
        if (b.skip) [b.skip.conv, ...Object.values(b.skip.bn)].forEach((v) => v.dispose());
      }
    },
  };
}
