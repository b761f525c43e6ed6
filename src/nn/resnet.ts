// Builds the ResNet of docs/science.md section 1 (basic or bottleneck blocks, CIFAR or
// ImageNet stem) as an engine Graph for one batch size, and lists every parameter, scalar and BN state with the metadata init
// schemes need (kind, block, trainable). Declares tensors only: it sets no values.

import { GraphBuilder, type Graph, type Shape } from '../engine';
import { DEFAULT_BN_EPS, DEFAULT_BN_MOMENTUM, planResNet, type BlockPlan, type ResNetConfig, type StemPlan } from './resnetConfig';

type ParamKind =
  'stemConv' | 'conv1' | 'conv2' | 'conv3' | 'skipConv' | 'bnGamma' | 'bnBeta' | 'aRes' | 'aSkip' | 'fixupBias' | 'fcWeight' | 'fcBias';

export interface ParamInfo {
  id: number;
  name: string;
  shape: Shape;
  kind: ParamKind;
  /** Global block index; absent for the stem and the head. */
  block?: number;
  /** false for a const (non-learned a_res / a_skip): still listed so init sets it. */
  trainable: boolean;
}

interface StateInfo {
  id: number;
  name: string;
  kind: 'runningMean' | 'runningVar';
  block?: number;
}

export interface BnIds {
  gamma: number;
  beta: number;
  runningMean: number;
  runningVar: number;
}

interface BlockParamIds {
  conv1: number;
  conv2: number;
  /** A bottleneck's last 1x1 conv. */
  conv3?: number;
  /** Present on projection blocks. */
  skipConv?: number;
  aRes: number;
  aSkip: number;
  bn1?: BnIds;
  bn2?: BnIds;
  bn3?: BnIds;
  skipBn?: BnIds;
  /** Fixup's biases in order: bias1a (before conv1 and the skip conv), bias1b (after
   * conv1), bias2a (before conv2), then for a basic block bias2b (after the a_res
   * multiplier); for a bottleneck bias2b (after conv2), bias3a (before conv3), bias3b
   * (after the multiplier). */
  fixupBiases?: readonly number[];
}

export interface BlockInfo extends BlockPlan {
  skip: 'identity' | 'projection';
  input: number;
  output: number;
  /** The two summands: a_res F(x) (with Fixup's bias after it) and a_skip S(x). */
  residual: number;
  skipPath: number;
  params: BlockParamIds;
}

export interface ResNetModel {
  config: ResNetConfig;
  batch: number;
  graph: Graph;
  /** [batch, C_in, S, S]. */
  input: number;
  /** [batch] class ids (role 'label'). */
  labels: number;
  stemOutput: number;
  /** Output of the last residual block, before pooling (the Jacobian's target). */
  features: number;
  logits: number;
  loss: number;
  /** Built with mixup's loss (mixedCrossEntropy): the second labels [batch] (role 'label')
   * and the first labels' loss weight [1] (role 'input'), both fed each step. */
  mix?: { second: number; weight: number };
  blocks: BlockInfo[];
  /** Every param and const, in creation order. */
  params: ParamInfo[];
  state: StateInfo[];
}

type PendingParam = Omit<ParamInfo, 'name' | 'shape'>;
type PendingState = Omit<StateInfo, 'name'>;

/** Mutable state of one build; helpers below append to it. */
interface Ctx {
  b: GraphBuilder;
  cfg: ResNetConfig;
  params: PendingParam[];
  state: PendingState[];
}

function declare(ctx: Ctx, name: string, shape: Shape, kind: ParamKind, block: number | undefined, trainable = true): number {
  const id = ctx.b.tensor(name, shape, trainable ? 'param' : 'const');
  ctx.params.push(block === undefined ? { id, kind, trainable } : { id, kind, block, trainable });
  return id;
}

function batchNorm(ctx: Ctx, x: number, name: string, block?: number): { out: number; ids: BnIds } {
  const c = [ctx.b.shape(x)[1]];
  const gamma = declare(ctx, `${name}.gamma`, c, 'bnGamma', block);
  const beta = declare(ctx, `${name}.beta`, c, 'bnBeta', block);
  const stateTensor = (kind: StateInfo['kind']): number => {
    const id = ctx.b.tensor(`${name}.${kind}`, c, 'state');
    ctx.state.push(block === undefined ? { id, kind } : { id, kind, block });
    return id;
  };
  const runningMean = stateTensor('runningMean');
  const runningVar = stateTensor('runningVar');
  const attrs = { eps: ctx.cfg.bnEps ?? DEFAULT_BN_EPS, momentum: ctx.cfg.bnMomentum ?? DEFAULT_BN_MOMENTUM };
  const out = ctx.b.op('batchNorm', [x, gamma, beta, runningMean, runningVar], attrs, name);
  return { out, ids: { gamma, beta, runningMean, runningVar } };
}

/** A bias-free conv (pad keeps 'same' size at stride 1), then BN when the config has BN. */
function convBn(
  ctx: Ctx,
  x: number,
  name: string,
  bnName: string,
  cout: number,
  k: number,
  stride: number,
  kind: ParamKind,
  block?: number,
) {
  const cin = ctx.b.shape(x)[1];
  const w = declare(ctx, `${name}.weight`, [cout, cin, k, k], kind, block);
  const y = ctx.b.op('conv2d', [x, w], { stride, pad: (k - 1) / 2 }, name);
  if (!ctx.cfg.batchNorm) return { out: y, w, bn: undefined };
  const { out, ids } = batchNorm(ctx, y, bnName, block);
  return { out, w, bn: ids };
}

function fixupBias(ctx: Ctx, x: number, name: string, block?: number): { out: number; bias: number } {
  const bias = declare(ctx, name, [1], 'fixupBias', block);
  return { out: ctx.b.op('scalarAdd', [x, bias], {}, `${name}.add`), bias };
}

function stem(ctx: Ctx, z: number, p: StemPlan): number {
  return ctx.b.scoped('stem', () => {
    let y = convBn(ctx, z, 'conv', 'bn', p.conv.cout, p.conv.k, p.conv.stride, 'stemConv').out;
    // The official Fixup code adds a scalar bias before the stem's ReLU too.
    if (ctx.cfg.fixupBiases) y = fixupBias(ctx, y, 'bias').out;
    const h = ctx.b.op('relu', [y], {}, 'relu');
    return p.pool ? ctx.b.op('maxPool', [h], p.pool, 'pool') : h;
  });
}

const CONV_KINDS = ['conv1', 'conv2', 'conv3'] as const;

function block(ctx: Ctx, x: number, p: BlockPlan): BlockInfo {
  const { cfg, b } = ctx;
  const blk = p.index;
  return b.scoped(`stage${p.stage}.block${p.indexInStage}`, () => {
    const fix: number[] = [];
    const bias = (y: number, name: string): number => {
      if (!cfg.fixupBiases) return y;
      const r = fixupBias(ctx, y, name, blk);
      fix.push(r.bias);
      return r.out;
    };
    const xin = bias(x, 'bias1a');
    // conv_i -> (BN) -> bias_i b -> ReLU -> bias_{i+1} a -> conv_{i+1} ...; the last
    // conv's output is scaled by a_res and then biased (Fixup's bias_last b).
    const convs = p.convs.map((v, i) => ({ v, kind: CONV_KINDS[i], n: i + 1 }));
    const done: { w: number; bn?: BnIds }[] = [];
    let y = xin;
    for (const { v, kind, n } of convs) {
      const c = convBn(ctx, y, kind, `bn${n}`, v.cout, v.k, v.stride, kind, blk);
      done.push(c);
      if (n === convs.length) {
        y = c.out;
        break;
      }
      const h = b.op('relu', [bias(c.out, `bias${n}b`)], {}, `relu${n}`);
      y = bias(h, `bias${n + 1}a`);
    }
    const aRes = declare(ctx, 'aRes', [1], 'aRes', blk, cfg.learnRes);
    const res = bias(b.op('scalarMul', [y, aRes], {}, 'resScaled'), `bias${convs.length}b`);

    // Fixup feeds the skip conv the same biased input as conv1 (its downsample path);
    // an identity skip carries x itself.
    const sk = p.projection ? convBn(ctx, xin, 'skipConv', 'skipBn', p.cout, 1, p.stride, 'skipConv', blk) : undefined;
    const aSkip = declare(ctx, 'aSkip', [1], 'aSkip', blk, cfg.learnSkip);
    const skip = b.op('scalarMul', [sk ? sk.out : x, aSkip], {}, 'skipScaled');

    const sum = b.op('add', [skip, res], {}, 'sum');
    const output = cfg.postAddRelu ? b.op('relu', [sum], {}, 'out') : sum;

    const [c1, c2, c3] = done;
    const params: BlockParamIds = {
      conv1: c1.w,
      conv2: c2.w,
      ...(c3 && { conv3: c3.w }),
      aRes,
      aSkip,
      ...(sk && { skipConv: sk.w }),
      ...(c1.bn && { bn1: c1.bn }),
      ...(c2.bn && { bn2: c2.bn }),
      ...(c3?.bn && { bn3: c3.bn }),
      ...(sk?.bn && { skipBn: sk.bn }),
      ...(cfg.fixupBiases && { fixupBiases: fix }),
    };
    return { ...p, skip: p.projection ? 'projection' : 'identity', input: x, output, residual: res, skipPath: skip, params };
  });
}

function head(ctx: Ctx, x: number, labels: number, mixup: boolean): { logits: number; loss: number; mix?: ResNetModel['mix'] } {
  const { b, cfg } = ctx;
  return b.scoped('head', () => {
    let pooled = b.op('globalAvgPool', [x], {}, 'pool');
    if (cfg.fixupBiases) pooled = fixupBias(ctx, pooled, 'bias').out;
    const c = b.shape(pooled)[1];
    const w = declare(ctx, 'fc.weight', [cfg.numClasses, c], 'fcWeight', undefined);
    const bias = declare(ctx, 'fc.bias', [cfg.numClasses], 'fcBias', undefined);
    const logits = b.op('linear', [pooled, w, bias], {}, 'fc');
    if (!mixup) return { logits, loss: b.op('softmaxCrossEntropy', [logits, labels], {}, 'loss') };
    // Declared after every parameter, so a model with mixup has the same tensor ids for them.
    const mix = { second: b.tensor('labels.second', b.shape(labels), 'label'), weight: b.input('labels.weight', [1]) };
    return { logits, loss: b.op('mixedCrossEntropy', [logits, labels, mix.second, mix.weight], {}, 'loss'), mix };
  });
}

/** `mixup`: the loss is mixup's two-label cross-entropy (see ResNetModel.mix). */
export function buildResNet(cfg: ResNetConfig, batch: number, opts: { mixup?: boolean } = {}): ResNetModel {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`buildResNet: batch must be a positive integer, got ${batch}`);
  const plan = planResNet(cfg); // validates cfg
  const ctx: Ctx = { b: new GraphBuilder(), cfg, params: [], state: [] };
  const input = ctx.b.input('input', [batch, cfg.inputChannels, cfg.inputSize, cfg.inputSize]);
  const labels = ctx.b.tensor('labels', [batch], 'label');
  const stemOutput = stem(ctx, input, plan.stem);
  const blocks: BlockInfo[] = [];
  let x = stemOutput;
  for (const p of plan.blocks) {
    const info = block(ctx, x, p);
    blocks.push(info);
    x = info.output;
  }
  const { logits, loss, mix } = head(ctx, x, labels, opts.mixup ?? false);
  const graph = ctx.b.build();
  const params = ctx.params.map((q) => ({ ...q, name: graph.tensors[q.id].name, shape: graph.tensors[q.id].shape }));
  const state = ctx.state.map((s) => ({ ...s, name: graph.tensors[s.id].name }));
  return { config: cfg, batch, graph, input, labels, stemOutput, features: x, logits, loss, ...(mix && { mix }), blocks, params, state };
}
