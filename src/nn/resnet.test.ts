// Structure tests of the ResNet builder against docs/science.md section 1: shapes per
// block, skip types, BN, Fixup biases, roles of a_res/a_skip, ReZero, validation.

import { describe, expect, it } from 'vitest';
import type { Graph, OpNode } from '../engine/graph';
import { buildResNet } from './resnet';
import { RESNET_PRESETS, defaultResNetConfig, resnetDepth, resnetPreset, validateResNetConfig, type ResNetConfig } from './resnetConfig';

const cfg = (over: Partial<ResNetConfig> = {}): ResNetConfig => ({ ...defaultResNetConfig(), ...over });
const countOp = (g: Graph, op: string): number => g.nodes.filter((n) => n.op === op).length;
const producer = (g: Graph, id: number): OpNode => {
  const n = g.nodes.find((m) => m.output === id);
  if (!n) throw new Error(`no node produces tensor ${id} (${g.tensors[id].name})`);
  return n;
};

describe('buildResNet shapes', () => {
  it('ResNet-20 at 32x32: 32 -> 16 -> 8 with widths 16/32/64', () => {
    const m = buildResNet(resnetPreset('resnet20'), 4);
    const shape = (id: number) => m.graph.tensors[id].shape;
    expect(shape(m.input)).toEqual([4, 3, 32, 32]);
    expect(shape(m.labels)).toEqual([4]);
    expect(m.graph.tensors[m.labels].role).toBe('label');
    expect(shape(m.stemOutput)).toEqual([4, 16, 32, 32]);
    expect(m.blocks.map((b) => shape(b.output))).toEqual([
      ...Array(3).fill([4, 16, 32, 32]),
      ...Array(3).fill([4, 32, 16, 16]),
      ...Array(3).fill([4, 64, 8, 8]),
    ]);
    expect(m.blocks.map((b) => b.stride)).toEqual([1, 1, 1, 2, 1, 1, 2, 1, 1]);
    expect(m.blocks.map((b) => b.skip)).toEqual([
      'identity',
      'identity',
      'identity',
      'projection',
      'identity',
      'identity',
      'projection',
      'identity',
      'identity',
    ]);
    expect(m.blocks.map((b) => `${b.stage}.${b.indexInStage}`)).toEqual(['1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2']);
    expect(m.features).toBe(m.blocks[8].output);
    expect(shape(m.logits)).toEqual([4, 10]);
    expect(shape(m.loss)).toEqual([1]);
    expect(producer(m.graph, m.loss).op).toBe('softmaxCrossEntropy');
    expect(m.graph.tensors[producer(m.graph, m.logits).inputs[0]].shape).toEqual([4, 64]);
    // each block consumes the previous one's output
    m.blocks.forEach((b, i) => expect(b.input).toBe(i === 0 ? m.stemOutput : m.blocks[i - 1].output));
  });

  it('4-stage net on an odd input size halves with ceil: 7 -> 4 -> 2 -> 1', () => {
    const m = buildResNet(cfg({ width: 8, blocksPerStage: [1, 2, 1, 1], inputSize: 7, numClasses: 5 }), 2);
    expect(m.blocks.map((b) => m.graph.tensors[b.output].shape)).toEqual([
      [2, 8, 7, 7],
      [2, 16, 4, 4],
      [2, 16, 4, 4],
      [2, 32, 2, 2],
      [2, 64, 1, 1],
    ]);
    expect(m.blocks.map((b) => b.skip)).toEqual(['identity', 'projection', 'identity', 'projection', 'projection']);
    expect(m.graph.tensors[m.logits].shape).toEqual([2, 5]);
  });

  it('ResNet-18 preset: 4 stages, widths 64..512, fc [10, 512]', () => {
    const m = buildResNet(resnetPreset('resnet18'), 1);
    expect(m.blocks.map((b) => m.graph.tensors[b.output].shape[1])).toEqual([64, 64, 128, 128, 256, 256, 512, 512]);
    expect(m.graph.tensors[m.features].shape).toEqual([1, 512, 4, 4]);
    expect(m.params.find((p) => p.kind === 'fcWeight')!.shape).toEqual([10, 512]);
  });

  it('bottleneck ResNet-50 layout: 1x1 -> 3x3 (stride) -> 1x1, expansion 4, Type B projects where the shape changes', () => {
    const m = buildResNet({ ...resnetPreset('resnet50'), width: 8, inputSize: 8 }, 1);
    const shape = (id: number) => m.graph.tensors[id].shape;
    expect(m.blocks).toHaveLength(16);
    expect(resnetDepth(m.config)).toBe(50);
    expect(m.blocks.map((b) => shape(b.output)[1])).toEqual([
      ...Array(3).fill(32),
      ...Array(4).fill(64),
      ...Array(6).fill(128),
      ...Array(3).fill(256),
    ]);
    const b = m.blocks[3]; // stage 2, block 0
    expect([b.params.conv1, b.params.conv2, b.params.conv3!].map(shape)).toEqual([
      [16, 32, 1, 1],
      [16, 16, 3, 3],
      [64, 16, 1, 1],
    ]);
    expect(m.graph.nodes.find((n) => n.inputs[1] === b.params.conv2)!.attrs).toEqual({ stride: 2, pad: 1 });
    expect(m.graph.nodes.find((n) => n.inputs[1] === b.params.conv1)!.attrs).toEqual({ stride: 1, pad: 0 });
    expect(m.blocks.filter((x) => x.skip === 'projection').map((x) => x.index)).toEqual([0, 3, 7, 13]);
    expect(shape(m.features)).toEqual([1, 256, 1, 1]);
  });

  it('ImageNet stem: 7x7 stride-2 conv, ReLU, 3x3 stride-2 max-pool: 35 -> 18 -> 9', () => {
    const m = buildResNet(cfg({ stem: 'imagenet', inputSize: 35, width: 8 }), 2);
    const pool = producer(m.graph, m.stemOutput);
    expect(pool.op).toBe('maxPool');
    expect(pool.attrs).toEqual({ k: 3, stride: 2, pad: 1 });
    expect(producer(m.graph, pool.inputs[0]).op).toBe('relu');
    expect(m.params.find((p) => p.kind === 'stemConv')!.shape).toEqual([8, 3, 7, 7]);
    expect(m.graph.tensors[m.stemOutput].shape).toEqual([2, 8, 9, 9]);
    expect(validateResNetConfig(cfg({ stem: 'imagenet', inputSize: 8, blocksPerStage: [1, 1, 1, 1] }))).toEqual([
      "inputSize 8 is too small for 4 stages (the ImageNet stem makes it 2x2): each later stage halves it, so the stem's output must be at least 5 for the last one to see 2x2 pixels",
    ]);
    expect(validateResNetConfig(cfg({ block: 'wide' as never, stem: 'tiny' as never }))).toEqual([
      'block must be basic or bottleneck, got wide',
      'stem must be cifar or imagenet, got tiny',
    ]);
  });

  it('tensor names are unique and follow the scopes', () => {
    const m = buildResNet(cfg({ fixupBiases: true, skip: 'C' }), 2);
    const names = m.graph.tensors.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('stem.conv.weight');
    expect(names).toContain('stage1.block0.conv1');
    expect(names).toContain('stage2.block0.skipConv.weight');
    expect(names).toContain('head.fc');
    expect(m.graph.nodes.find((n) => n.output === m.blocks[4].output)!.scope).toBe('stage2.block1');
  });
});

describe('block structure', () => {
  it('Type C block with BN: relu(aSkip * bn(conv1x1_s(x)) + aRes * bn(conv2(relu(bn(conv1_s(x))))))', () => {
    const m = buildResNet(cfg({ skip: 'C' }), 2);
    const g = m.graph;
    const b = m.blocks[3];
    const out = producer(g, b.output);
    expect(out.op).toBe('relu');
    const sum = producer(g, out.inputs[0]);
    expect(sum.op).toBe('add');
    const [skipMul, resMul] = sum.inputs.map((i) => producer(g, i));
    expect([skipMul.op, skipMul.inputs[1], resMul.op, resMul.inputs[1]]).toEqual(['scalarMul', b.params.aSkip, 'scalarMul', b.params.aRes]);
    const skipBn = producer(g, skipMul.inputs[0]);
    expect([skipBn.op, skipBn.inputs[1]]).toEqual(['batchNorm', b.params.skipBn!.gamma]);
    const skipConv = producer(g, skipBn.inputs[0]);
    expect(skipConv).toMatchObject({ op: 'conv2d', inputs: [b.input, b.params.skipConv], attrs: { stride: 2, pad: 0 } });
    const bn2 = producer(g, resMul.inputs[0]);
    expect([bn2.op, bn2.inputs[3], bn2.inputs[4]]).toEqual(['batchNorm', b.params.bn2!.runningMean, b.params.bn2!.runningVar]);
    const conv2 = producer(g, bn2.inputs[0]);
    expect(conv2).toMatchObject({ op: 'conv2d', attrs: { stride: 1, pad: 1 } });
    expect(conv2.inputs[1]).toBe(b.params.conv2);
    const relu1 = producer(g, conv2.inputs[0]);
    const bn1 = producer(g, relu1.inputs[0]);
    expect([relu1.op, bn1.op]).toEqual(['relu', 'batchNorm']);
    expect(producer(g, bn1.inputs[0])).toMatchObject({ op: 'conv2d', inputs: [b.input, b.params.conv1], attrs: { stride: 2, pad: 1 } });
    expect(g.tensors[b.params.conv1].shape).toEqual([32, 16, 3, 3]);
    expect(g.tensors[b.params.skipConv!].shape).toEqual([32, 16, 1, 1]);
  });

  it('identity block without BN scales x itself by aSkip', () => {
    const m = buildResNet(cfg({ batchNorm: false }), 1);
    const b = m.blocks[1];
    const sum = producer(m.graph, producer(m.graph, b.output).inputs[0]);
    const skipMul = producer(m.graph, sum.inputs[0]);
    expect(skipMul.inputs).toEqual([b.input, b.params.aSkip]);
    expect(b.params.skipConv).toBeUndefined();
    expect(producer(m.graph, producer(m.graph, sum.inputs[1]).inputs[0]).op).toBe('conv2d');
  });

  it('stem is relu(bn(conv3x3(z))) with BN and relu(conv3x3(z)) without', () => {
    for (const batchNorm of [true, false]) {
      const m = buildResNet(cfg({ batchNorm }), 1);
      const relu = producer(m.graph, m.stemOutput);
      const pre = producer(m.graph, relu.inputs[0]);
      const conv = batchNorm ? producer(m.graph, pre.inputs[0]) : pre;
      expect([relu.op, pre.op]).toEqual(['relu', batchNorm ? 'batchNorm' : 'conv2d']);
      expect(conv).toMatchObject({ op: 'conv2d', inputs: [m.input, m.params[0].id], attrs: { stride: 1, pad: 1 } });
      expect(m.params[0].kind).toBe('stemConv');
    }
  });
});

describe('config variants', () => {
  it('Type B has a projection only where the shape changes, Type C on every block', () => {
    for (const [preset, stages] of [
      ['resnet20', 3],
      ['resnet18', 4],
    ] as const) {
      const base = resnetPreset(preset);
      const nBlocks = base.blocksPerStage.reduce((a, b) => a + b, 0);
      const projections = (skip: 'B' | 'C') => {
        const m = buildResNet({ ...base, skip }, 1);
        const oneByOne = m.graph.nodes.filter((n) => n.op === 'conv2d' && m.graph.tensors[n.inputs[1]].shape[2] === 1).length;
        const skipParams = m.params.filter((p) => p.kind === 'skipConv').length;
        expect(oneByOne).toBe(skipParams);
        expect(m.blocks.filter((b) => b.skip === 'projection').length).toBe(skipParams);
        return skipParams;
      };
      expect(projections('B')).toBe(stages - 1);
      expect(projections('C')).toBe(nBlocks);
    }
  });

  it('BN adds one batchNorm per conv, with gamma/beta params and two running stats each', () => {
    for (const skip of ['B', 'C'] as const) {
      const on = buildResNet(cfg({ skip, batchNorm: true }), 2);
      const off = buildResNet(cfg({ skip, batchNorm: false }), 2);
      const convs = countOp(on.graph, 'conv2d');
      expect(countOp(off.graph, 'conv2d')).toBe(convs);
      expect(countOp(on.graph, 'batchNorm')).toBe(convs);
      expect(countOp(off.graph, 'batchNorm')).toBe(0);
      expect(on.params.filter((p) => p.kind === 'bnGamma').length).toBe(convs);
      expect(on.params.filter((p) => p.kind === 'bnBeta').length).toBe(convs);
      expect(on.state.length).toBe(2 * convs);
      expect(off.state.length).toBe(0);
      expect(on.params.length - off.params.length).toBe(2 * convs);
      expect(on.graph.nodes.length - off.graph.nodes.length).toBe(convs);
      expect(on.state.every((s) => on.graph.tensors[s.id].role === 'state')).toBe(true);
      const bn = on.graph.nodes.find((n) => n.op === 'batchNorm')!;
      expect(bn.attrs).toEqual({ eps: 1e-5, momentum: 0.1 });
    }
    const custom = buildResNet(cfg({ bnEps: 1e-3, bnMomentum: 0.01 }), 1);
    expect(custom.graph.nodes.find((n) => n.op === 'batchNorm')!.attrs).toEqual({ eps: 1e-3, momentum: 0.01 });
  });

  it('Fixup biases: 4 per block, one before the stem relu, one before the classifier', () => {
    const c = cfg({ batchNorm: false, fixupBiases: true, blocksPerStage: [2, 1, 3] });
    const m = buildResNet(c, 2);
    const biases = m.params.filter((p) => p.kind === 'fixupBias');
    expect(biases.length).toBe(4 * 6 + 2);
    expect(countOp(m.graph, 'scalarAdd')).toBe(4 * 6 + 2);
    expect(biases.every((p) => p.trainable && p.shape.length === 1 && p.shape[0] === 1)).toBe(true);
    expect(biases.filter((p) => p.block === undefined).map((p) => p.name)).toEqual(['stem.bias', 'head.bias']);
    expect(countOp(buildResNet({ ...c, fixupBiases: false }, 2).graph, 'scalarAdd')).toBe(0);
    // bias1a feeds both conv1 and the projection; bias2b follows the a_res multiplier
    const g = m.graph;
    const b = m.blocks[2];
    const [b1a, , , b2b] = b.params.fixupBiases!;
    const biased = g.nodes.find((n) => n.op === 'scalarAdd' && n.inputs[1] === b1a)!;
    expect(biased.inputs[0]).toBe(b.input);
    const consumers = g.nodes.filter((n) => n.inputs[0] === biased.output).map((n) => g.tensors[n.inputs[1]].name);
    expect(consumers).toEqual(['stage2.block0.conv1.weight', 'stage2.block0.skipConv.weight']);
    const res = producer(g, producer(g, producer(g, b.output).inputs[0]).inputs[1]);
    expect([res.op, res.inputs[1], producer(g, res.inputs[0]).op]).toEqual(['scalarAdd', b2b, 'scalarMul']);
    const fcIn = producer(g, producer(g, m.logits).inputs[0]);
    expect([fcIn.op, producer(g, fcIn.inputs[0]).op]).toEqual(['scalarAdd', 'globalAvgPool']);
  });

  it('learnRes / learnSkip turn the scalars from const into trainable params', () => {
    for (const learnRes of [false, true]) {
      for (const learnSkip of [false, true]) {
        const m = buildResNet(cfg({ learnRes, learnSkip }), 1);
        const roleOf = (kind: string) => [...new Set(m.params.filter((p) => p.kind === kind).map((p) => m.graph.tensors[p.id].role))];
        expect(roleOf('aRes')).toEqual([learnRes ? 'param' : 'const']);
        expect(roleOf('aSkip')).toEqual([learnSkip ? 'param' : 'const']);
        expect(m.params.filter((p) => p.kind === 'aRes').length).toBe(m.blocks.length);
        for (const p of m.params) expect(p.trainable).toBe(m.graph.tensors[p.id].role === 'param');
      }
    }
  });

  it('ReZero (postAddRelu false) ends each block with the addition', () => {
    const v1 = buildResNet(cfg({ batchNorm: false }), 1);
    const rz = buildResNet(cfg({ batchNorm: false, postAddRelu: false, learnRes: true }), 1);
    expect(rz.blocks.every((b) => producer(rz.graph, b.output).op === 'add')).toBe(true);
    expect(v1.blocks.every((b) => producer(v1.graph, b.output).op === 'relu')).toBe(true);
    expect(countOp(rz.graph, 'relu')).toBe(1 + rz.blocks.length);
    expect(countOp(v1.graph, 'relu')).toBe(1 + 2 * v1.blocks.length);
  });

  it('params and state list exactly the graph tensors of their roles', () => {
    const m = buildResNet(cfg({ skip: 'C', fixupBiases: true, learnSkip: true }), 3);
    const ids = (roles: string[]) => m.graph.tensors.filter((t) => roles.includes(t.role)).map((t) => t.id);
    expect(m.params.map((p) => p.id)).toEqual(ids(['param', 'const']));
    expect(m.state.map((s) => s.id)).toEqual(ids(['state']));
    for (const p of m.params) expect(p.name).toBe(m.graph.tensors[p.id].name);
    const blockIds = m.blocks.flatMap((b) => m.params.filter((p) => p.block === b.index).map((p) => p.id));
    expect(blockIds.length).toBe(m.params.filter((p) => p.block !== undefined).length);
  });
});

describe('presets and validation', () => {
  it('CIFAR presets have depth 6n + 2 and validate', () => {
    const ns = { resnet8: 1, resnet14: 2, resnet20: 3, resnet32: 5, resnet56: 9 } as const;
    for (const [name, n] of Object.entries(ns)) {
      const p = RESNET_PRESETS[name as keyof typeof ns];
      expect(p.blocksPerStage).toEqual([n, n, n]);
      expect(p.width).toBe(16);
      expect(resnetDepth(p)).toBe(6 * n + 2);
      expect(resnetDepth(p)).toBe(Number(name.slice(6)));
      expect(validateResNetConfig(p)).toEqual([]);
    }
    expect(RESNET_PRESETS.resnet18).toMatchObject({ blocksPerStage: [2, 2, 2, 2], width: 64, skip: 'B' });
    expect(resnetDepth(RESNET_PRESETS.resnet18)).toBe(18);
  });

  it('presets cannot be mutated through resnetPreset copies', () => {
    const copy = resnetPreset('resnet20');
    copy.blocksPerStage.push(1);
    copy.width = 3;
    expect(RESNET_PRESETS.resnet20.blocksPerStage).toEqual([3, 3, 3]);
    expect(RESNET_PRESETS.resnet20.width).toBe(16);
    expect(Object.isFrozen(RESNET_PRESETS.resnet20.blocksPerStage)).toBe(true);
  });

  it('reports every problem with a readable message', () => {
    const bad = cfg({
      width: 0,
      inputChannels: 2.5,
      blocksPerStage: [3, 0, 3, 1, 1],
      skip: 'A' as never,
      batchNorm: 'yes' as never,
      bnEps: -1,
    });
    const errors = validateResNetConfig(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^width must be a positive integer/),
        expect.stringMatching(/^inputChannels must be a positive integer, got 2.5/),
        expect.stringMatching(/3 or 4 stages, got 5/),
        expect.stringMatching(/^blocksPerStage\[1\] must be a positive integer/),
        expect.stringMatching(/^skip must be 'B' or 'C'/),
        expect.stringMatching(/^batchNorm must be true or false/),
        expect.stringMatching(/^bnEps/),
      ]),
    );
    expect(errors.length).toBe(7);
    expect(validateResNetConfig(cfg({ inputSize: 3 }))).toEqual([]);
    expect(validateResNetConfig(cfg({ inputSize: 2 }))).toEqual([
      expect.stringMatching(/inputSize 2 is too small for 3 stages.*at least 3/),
    ]);
    expect(validateResNetConfig(cfg({ inputSize: 5, blocksPerStage: [1, 1, 1, 1] }))).toEqual([]);
    expect(validateResNetConfig(cfg({ inputSize: 4, blocksPerStage: [1, 1, 1, 1] }))).toEqual([expect.stringMatching(/at least 5/)]);
    expect(validateResNetConfig(cfg({ blocksPerStage: [1, 1] }))[0]).toMatch(/3 or 4 stages, got 2/);
    expect(validateResNetConfig(cfg({ bnMomentum: 2 }))[0]).toMatch(/bnMomentum/);
  });

  it('buildResNet refuses invalid configs and batch sizes', () => {
    expect(() => buildResNet(cfg({ numClasses: 0 }), 2)).toThrow(/numClasses must be a positive integer/);
    expect(() => buildResNet(cfg(), 0)).toThrow(/batch must be a positive integer/);
    expect(() => buildResNet(cfg(), 1.5)).toThrow(/batch/);
  });
});
