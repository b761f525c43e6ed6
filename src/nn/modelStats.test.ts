// Parameter and FLOP counts: checked against architecture formulas written out by hand
// (well-known ResNet-20 / ResNet-18 sizes) and against the built graph for many configs.

import { describe, expect, it } from 'vitest';
import { numel } from '../engine/graph';
import { countParams, flopsPerExample } from './modelStats';
import { buildResNet } from './resnet';
import { defaultResNetConfig, resnetPreset, type ResNetConfig } from './resnetConfig';

/** Trainable count read off the graph: every tensor with role 'param'. */
function graphParams(c: ResNetConfig): number {
  const g = buildResNet(c, 2).graph;
  return g.tensors.filter((t) => t.role === 'param').reduce((s, t) => s + numel(t.shape), 0);
}

/** 2 x MACs of conv2d and linear nodes, per example. */
function graphFlops(c: ResNetConfig): number {
  const batch = 3;
  const g = buildResNet(c, batch).graph;
  let macs = 0;
  for (const n of g.nodes) {
    if (n.op !== 'conv2d' && n.op !== 'linear') continue;
    const out = numel(g.tensors[n.output].shape);
    const w = g.tensors[n.inputs[1]].shape;
    macs += n.op === 'conv2d' ? out * w[1] * w[2] * w[3] : out * w[1];
  }
  return (2 * macs) / batch;
}

const variants: [string, Partial<ResNetConfig>][] = [
  ['default', {}],
  ['no BN, Fixup', { batchNorm: false, fixupBiases: true, learnRes: true }],
  ['Type C, learned scalars', { skip: 'C', learnRes: true, learnSkip: true }],
  ['ReZero', { batchNorm: false, postAddRelu: false, learnRes: true }],
  ['4 stages, odd size', { blocksPerStage: [1, 2, 1, 2], inputSize: 9, width: 6, inputChannels: 1, numClasses: 7 }],
  ['bottleneck, Type B', { block: 'bottleneck', blocksPerStage: [2, 1, 2], width: 4 }],
  [
    'bottleneck, Type C, Fixup, ImageNet stem, odd size',
    { block: 'bottleneck', skip: 'C', stem: 'imagenet', inputSize: 23, width: 4, batchNorm: false, fixupBiases: true, learnRes: true },
  ],
  ['basic, ImageNet stem, 4 stages', { stem: 'imagenet', blocksPerStage: [1, 1, 1, 1], inputSize: 35, width: 4 }],
];

describe('countParams', () => {
  it('ResNet-20 (width 16, BN, 10 classes, RGB) is the well-known ~0.27M', () => {
    const conv3 = (cin: number, cout: number) => cin * cout * 9;
    const bn = (c: number) => 2 * c;
    const stem = conv3(3, 16) + bn(16);
    const plainBlock = (c: number) => 2 * (conv3(c, c) + bn(c));
    const downBlock = (cin: number, cout: number) => conv3(cin, cout) + conv3(cout, cout) + 2 * bn(cout) + cin * cout + bn(cout);
    const stage1 = 3 * plainBlock(16);
    const stage2 = downBlock(16, 32) + 2 * plainBlock(32);
    const stage3 = downBlock(32, 64) + 2 * plainBlock(64);
    const fc = 64 * 10 + 10;
    const expected = stem + stage1 + stage2 + stage3 + fc;
    // The option-A (zero-padded, parameter-free shortcut) ResNet-20 of common CIFAR code
    // has 269,722; the two 1x1 projections of option B and their BN add 2,752.
    expect(expected).toBe(269_722 + 16 * 32 + 32 * 64 + 2 * (32 + 64));
    const c: ResNetConfig = { ...resnetPreset('resnet20'), numClasses: 10, inputChannels: 3 };
    expect(countParams(c)).toBe(expected);
    expect(countParams(c) / 1e6).toBeCloseTo(0.27, 1);
  });

  it('CIFAR ResNet-18 has the well-known 11,173,962 parameters', () => {
    expect(countParams(resnetPreset('resnet18'))).toBe(11_173_962);
  });

  // torchvision.models.resnetNN(num_classes=1000): ImageNet stem, option-B shortcuts, BN.
  it.each([
    ['resnet18', 11_689_512],
    ['resnet34', 21_797_672],
    ['resnet50', 25_557_032],
    ['resnet101', 44_549_160],
  ] as const)("%s with the ImageNet stem and 1000 classes has torchvision's %i parameters", (name, count) => {
    const c: ResNetConfig = { ...resnetPreset(name), stem: 'imagenet', inputSize: 224, numClasses: 1000 };
    expect(countParams(c)).toBe(count);
  });

  it('counts learned scalars and Fixup biases, not consts or running stats', () => {
    const base = defaultResNetConfig();
    const blocks = 9;
    expect(countParams({ ...base, learnRes: true }) - countParams(base)).toBe(blocks);
    expect(countParams({ ...base, learnRes: true, learnSkip: true }) - countParams(base)).toBe(2 * blocks);
    expect(countParams({ ...base, fixupBiases: true }) - countParams(base)).toBe(4 * blocks + 2);
    const bottleneck: ResNetConfig = { ...base, block: 'bottleneck' };
    expect(countParams({ ...bottleneck, fixupBiases: true }) - countParams(bottleneck)).toBe(6 * blocks + 2);
  });

  it.each(variants)('agrees with the built graph: %s', (_, over) => {
    const c = { ...defaultResNetConfig(), ...over };
    expect(countParams(c)).toBe(graphParams(c));
  });
});

describe('flopsPerExample', () => {
  it('ResNet-20 at 32x32 is ~41M multiply-adds', () => {
    const macs =
      3 * 16 * 9 * 32 * 32 + // stem
      6 * 16 * 16 * 9 * 32 * 32 + // stage 1
      (16 * 32 * 9 + 5 * 32 * 32 * 9 + 16 * 32) * 16 * 16 + // stage 2 incl. projection
      (32 * 64 * 9 + 5 * 64 * 64 * 9 + 32 * 64) * 8 * 8 + // stage 3 incl. projection
      64 * 10;
    const flops = flopsPerExample(resnetPreset('resnet20'));
    expect(flops).toBe(2 * macs);
    expect(flops / 2 / 1e6).toBeCloseTo(40.8, 1);
  });

  it('ResNet-50 at 224x224 with the ImageNet stem is the well-known ~4.1G multiply-adds', () => {
    const c: ResNetConfig = { ...resnetPreset('resnet50'), stem: 'imagenet', inputSize: 224, numClasses: 1000 };
    expect(flopsPerExample(c) / 2 / 1e9).toBeCloseTo(4.09, 2);
  });

  it('does not depend on BN, Fixup or the scalars; grows with Type C', () => {
    const base = defaultResNetConfig();
    const f = flopsPerExample(base);
    expect(flopsPerExample({ ...base, batchNorm: false, fixupBiases: true, learnRes: true })).toBe(f);
    // Type C adds a 1x1 conv to the 7 identity blocks: 3 at 16ch 32x32, 2 at 32ch 16x16, 2 at 64ch 8x8.
    const typeC = 2 * (3 * 16 * 16 * 32 * 32 + 2 * 32 * 32 * 16 * 16 + 2 * 64 * 64 * 8 * 8);
    expect(flopsPerExample({ ...base, skip: 'C' }) - f).toBe(typeC);
  });

  it.each(variants)('agrees with the built graph: %s', (_, over) => {
    const c = { ...defaultResNetConfig(), ...over };
    expect(flopsPerExample(c)).toBe(graphFlops(c));
  });
});
