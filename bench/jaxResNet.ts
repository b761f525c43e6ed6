// The jax-js peer for the training-step bench: our ResNet (BN with batch statistics, or
// no BN; Type B skips) written as a pure function of a parameter tree in jax-js (NCHW, OIHW,
// like ours), started from OUR initial values, and trained by one `jit` of the whole
// step (forward, backward, SGD with momentum and coupled weight decay), which is how
// jax-js fuses element-wise work into the kernels around it. Bench only.
//
// What differs from our step: the BN running averages are not updated (they do not
// enter a training-mode step's loss or gradients; ~20 short vectors of work), and the
// metrics are only the loss.

import type { Array as JaxArray } from '@jax-js/jax';
import type { BnIds, ResNetModel } from '../src/nn/resnet';
import { DEFAULT_BN_EPS } from '../src/nn/resnetConfig';
import type { Jax } from './jaxPeer';

// `type`, not `interface`: jax-js's tree types accept only type aliases.
type Bn = { g: JaxArray; b: JaxArray };
// Without BatchNorm the `bn` fields are absent and the convs feed the next op directly.
type Block = { w1: JaxArray; bn1?: Bn; w2: JaxArray; bn2?: Bn; skip?: { w: JaxArray; bn?: Bn } };
type Params = { stem: { w: JaxArray; bn?: Bn }; blocks: Block[]; fcW: JaxArray; fcB: JaxArray };

export interface JaxResNet {
  /** Runs one SGD step on (x NCHW, one-hot labels) and returns its loss (before the update). */
  step(x: Float32Array, oneHot: Float32Array): JaxArray;
  dispose(): void;
}

export interface JaxStepOptions {
  lr: number;
  momentum: number;
  weightDecay: number;
}

export function buildJaxResNet(jax: Jax, model: ResNetModel, values: ReadonlyMap<number, Float64Array>, opt: JaxStepOptions): JaxResNet {
  const cfg = model.config;
  if (cfg.fixupBiases || cfg.learnRes || cfg.learnSkip || !cfg.postAddRelu || cfg.block !== 'basic') {
    throw new Error('buildJaxResNet mirrors basic-block ResNets with fixed a_res = a_skip = 1 and post-add ReLU only');
  }
  const np = jax.numpy;
  const g = model.graph.tensors;
  const idOf = (name: string) => g.findIndex((t) => t.name === name);
  const arr = (id: number) => {
    const v = values.get(id);
    if (!v) throw new Error(`no initial value for ${g[id].name}`);
    return np.array(Float32Array.from(v)).reshape([...g[id].shape]);
  };
  for (const p of model.params)
    if ((p.kind === 'aRes' || p.kind === 'aSkip') && values.get(p.id)![0] !== 1) throw new Error(`${p.name} must be 1 for the jax-js twin`);
  const bnOf = (ids?: BnIds): { bn?: Bn } => (ids ? { bn: { g: arr(ids.gamma), b: arr(ids.beta) } } : {});
  const strides = model.blocks.map((b) => b.stride);
  let params: Params = {
    stem: {
      w: arr(model.params.find((p) => p.kind === 'stemConv')!.id),
      ...bnOf(cfg.batchNorm ? { gamma: idOf('stem.bn.gamma'), beta: idOf('stem.bn.beta'), runningMean: -1, runningVar: -1 } : undefined),
    },
    blocks: model.blocks.map((b) => {
      const p = b.params;
      if (cfg.batchNorm && (!p.bn1 || !p.bn2)) throw new Error('BN ids missing');
      const skip = p.skipConv !== undefined ? { w: arr(p.skipConv), ...bnOf(p.skipBn) } : undefined;
      const bn1 = bnOf(p.bn1).bn;
      const bn2 = bnOf(p.bn2).bn;
      return { w1: arr(p.conv1), ...(bn1 && { bn1 }), w2: arr(p.conv2), ...(bn2 && { bn2 }), ...(skip ? { skip } : {}) };
    }),
    fcW: arr(model.params.find((p) => p.kind === 'fcWeight')!.id),
    fcB: arr(model.params.find((p) => p.kind === 'fcBias')!.id),
  };
  let velocity = jax.tree.map((p: JaxArray) => np.zerosLike(p.ref), params) as Params;
  const eps = cfg.bnEps ?? DEFAULT_BN_EPS;

  // jax-js passes arrays by ownership: every use but the last takes `.ref`.
  const batchNorm = (x: JaxArray, p?: Bn) => {
    if (!p) return x;
    const c = x.shape[1];
    const mean = np.mean(x.ref, [0, 2, 3], { keepdims: true });
    const centred = x.sub(mean);
    const variance = np.mean(np.square(centred.ref), [0, 2, 3], { keepdims: true });
    return centred
      .mul(np.reciprocal(np.sqrt(variance.add(eps))))
      .mul(p.g.reshape([1, c, 1, 1]))
      .add(p.b.reshape([1, c, 1, 1]));
  };
  // Symmetric padding (k-1)/2, as PyTorch and our engine.
  const conv = (x: JaxArray, w: JaxArray, stride: number) => {
    const pad = (w.shape[2] - 1) / 2;
    return jax.lax.conv(
      x,
      w,
      [stride, stride],
      [
        [pad, pad],
        [pad, pad],
      ],
    );
  };
  const loss = (p: Params, x: JaxArray, y: JaxArray) => {
    let h = jax.nn.relu(batchNorm(conv(x, p.stem.w, 1), p.stem.bn));
    p.blocks.forEach((b, i) => {
      const s = strides[i];
      const r = batchNorm(conv(jax.nn.relu(batchNorm(conv(h.ref, b.w1, s), b.bn1)), b.w2, 1), b.bn2);
      const skip = b.skip ? batchNorm(conv(h, b.skip.w, s), b.skip.bn) : h;
      h = jax.nn.relu(skip.add(r));
    });
    const features = np.mean(h, [2, 3]);
    const logits = np.matmul(features, p.fcW.transpose()).add(p.fcB);
    return np.mean(np.sum(y.mul(jax.nn.logSoftmax(logits, -1)), -1)).neg();
  };
  const lossAndGrad = jax.valueAndGrad(loss);
  // torch.optim.SGD(momentum=m, dampening=0, nesterov=False) with coupled weight decay:
  // d = grad + wd * p; v = m * v + d; p -= lr * v.
  const step = jax.jit((p: Params, v: Params, x: JaxArray, y: JaxArray) => {
    const [value, grads] = lossAndGrad(jax.tree.ref(p), x, y);
    const newV = jax.tree.map(
      (vi: JaxArray, gi: JaxArray, pi: JaxArray) => vi.mul(opt.momentum).add(gi).add(pi.mul(opt.weightDecay)),
      v,
      grads as Params,
      jax.tree.ref(p),
    ) as Params;
    const newP = jax.tree.map((pi: JaxArray, vi: JaxArray) => pi.sub(vi.mul(opt.lr)), p, jax.tree.ref(newV)) as Params;
    return [value, newP, newV] as const;
  });

  const [n, c, h, w] = g[model.input].shape;
  const classes = cfg.numClasses;
  return {
    step(xData, oneHot) {
      const x = np.array(xData).reshape([n, c, h, w]);
      const y = np.array(oneHot).reshape([n, classes]);
      const [value, newP, newV] = step(params, velocity, x, y);
      params = newP;
      velocity = newV;
      return value;
    },
    dispose() {
      jax.tree.dispose(params);
      jax.tree.dispose(velocity);
      step.dispose();
    },
  };
}
