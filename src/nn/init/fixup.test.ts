// Fixup against docs/science.md section 4: zero last convs and classifier, other branch
// convs fan-out He times L^(-1/(2m-2)) (m = 2 basic, 3 bottleneck), zero scalar biases, a_res a learned 1, identity residual blocks
// at init, and the architecture requirements.

import { describe, expect, it } from 'vitest';
import { runForward } from '../../engine/cpu/interpreter';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { fixupRequires, fixupScale, fixupScheme, initFixup } from './fixup';
import { initHe } from './he';
import { smallConfig } from './testing';
import { heFanOutStd, heFanOutTensor, heStd } from './weights';

const fixupCfg = (over = {}) => fixupScheme.configFor(smallConfig(over));

describe('Fixup values', () => {
  const model = buildResNet(fixupCfg({ skip: 'B', blocksPerStage: [3, 2, 2] }), 1);
  const v = initFixup(model, 9);
  const he = initHe(model, 9);

  it('zeroes the last conv of every branch and the classifier weight; scalar biases 0; a_res a learned 1', () => {
    for (const p of model.params) {
      const w = v.get(p.id)!;
      if (p.kind === 'conv2' || p.kind === 'fcWeight' || p.kind === 'fixupBias' || p.kind === 'fcBias')
        expect(
          w.every((x) => x === 0),
          p.name,
        ).toBe(true);
      if (p.kind === 'aRes' || p.kind === 'aSkip') expect(w, p.name).toEqual(Float64Array.of(1));
      if (p.kind === 'aRes') expect(model.graph.tensors[p.id].role).toBe('param');
    }
    // Stem, head and 4 per block.
    expect(model.params.filter((p) => p.kind === 'fixupBias')).toHaveLength(2 + 4 * model.blocks.length);
  });

  it('first convs are exactly fan-out He times L^(-1/2), L = number of blocks; stem and projection skips plain He', () => {
    const scale = 7 ** -0.5;
    expect(fixupScale(7, 2)).toBe(scale);
    for (const p of model.params) {
      if (p.kind === 'conv1') expect(v.get(p.id)).toEqual(heFanOutTensor(9, p).map((x) => x * scale));
      if (p.kind === 'stemConv' || p.kind === 'skipConv') expect(v.get(p.id)).toEqual(he.get(p.id));
    }
    const custom = initFixup(model, 9, { L: 4, m: 3 });
    const c1 = model.params.find((p) => p.id === model.blocks[0].params.conv1)!;
    expect(custom.get(c1.id)).toEqual(heFanOutTensor(9, c1).map((x) => x * 4 ** -0.25));
  });

  // Weight statistics: (w / std)^2 averages 1 for the right std, within 5 standard errors.
  function meanSquareRatio(
    w: Map<number, Float64Array>,
    params: { id: number; shape: readonly number[] }[],
    std: (s: readonly number[]) => number,
  ): { ratio: number; count: number } {
    let sum = 0;
    let count = 0;
    for (const p of params) {
      for (const x of w.get(p.id)!) sum += (x / std(p.shape)) ** 2;
      count += w.get(p.id)!.length;
    }
    return { ratio: sum / count, count };
  }

  it('first-conv empirical std matches fan-out He std * L^-0.5, not fan-in, within sampling error', () => {
    // Stage-transition blocks have cout = 2 cin, so fan-out and fan-in differ by 2x there.
    const wide = buildResNet(fixupCfg({ width: 16, blocksPerStage: [4, 4, 4] }), 1);
    const w = initFixup(wide, 10);
    const conv1s = wide.params.filter((q) => q.kind === 'conv1' && wide.blocks[q.block!].stride === 2);
    const fanOut = meanSquareRatio(w, conv1s, (s) => heFanOutStd(s) * 12 ** -0.5);
    expect(Math.abs(fanOut.ratio - 1)).toBeLessThan(5 * Math.sqrt(2 / fanOut.count));
    const fanIn = meanSquareRatio(w, conv1s, (s) => heStd(s) * 12 ** -0.5);
    expect(Math.abs(fanIn.ratio - 0.5)).toBeLessThan((5 * Math.sqrt(2 / fanIn.count)) / 2);
  });

  it('bottleneck: conv1 and conv2 fan-out He times L^(-1/4) (m = 3), conv3 0, six biases per block, blocks the identity', () => {
    const bm = buildResNet(fixupCfg({ block: 'bottleneck', blocksPerStage: [3, 2, 2], width: 4 }), 2);
    const w = initFixup(bm, 4);
    const scale = 7 ** -0.25;
    for (const p of bm.params) {
      if (p.kind === 'conv1' || p.kind === 'conv2') expect(w.get(p.id), p.name).toEqual(heFanOutTensor(4, p).map((x) => x * scale));
      if (p.kind === 'conv3')
        expect(
          w.get(p.id)!.every((x) => x === 0),
          p.name,
        ).toBe(true);
    }
    expect(bm.params.filter((p) => p.kind === 'fixupBias')).toHaveLength(2 + 6 * bm.blocks.length);
    const m2 = initFixup(bm, 4, { m: 2 }).get(bm.blocks[0].params.conv1)!;
    m2.forEach((x, i) => expect(x).toBeCloseTo((w.get(bm.blocks[0].params.conv1)![i] / scale) * 7 ** -0.5, 12));
    const all = new Map(w);
    all.set(bm.input, new RandomStream(2, Streams.test).normalArray(2 * 3 * 4 * 4));
    all.set(bm.labels, new Float64Array(2));
    const f = runForward(bm.graph, all, 'eval');
    const identityBlocks = bm.blocks.filter((b) => b.skip === 'identity');
    expect(identityBlocks.length).toBe(4);
    for (const b of identityBlocks) expect(f.value(b.output)).toEqual(f.value(b.input));
  });

  it('every identity-skip residual block is exactly the identity at init', () => {
    const x = new RandomStream(1, Streams.test).normalArray(3 * 4 * 4);
    const all = new Map(v);
    all.set(model.input, x);
    all.set(model.labels, new Float64Array(1));
    const f = runForward(model.graph, all, 'eval');
    const identityBlocks = model.blocks.filter((b) => b.skip === 'identity');
    expect(identityBlocks.length).toBe(5);
    for (const b of identityBlocks) expect(f.value(b.output)).toEqual(f.value(b.input));
    // A stride-1 projection block is not: its He skip conv changes the signal.
    const typeC = buildResNet(fixupCfg({ skip: 'C' }), 1);
    const vc = new Map(initFixup(typeC, 9));
    vc.set(typeC.input, x);
    vc.set(typeC.labels, new Float64Array(1));
    const fc = runForward(typeC.graph, vc, 'eval');
    expect(fc.value(typeC.blocks[0].output)).not.toEqual(fc.value(typeC.blocks[0].input));
  });

  it('honours L and m options and rejects bad ones', () => {
    expect(() => initFixup(model, 1, { m: 1 })).toThrow(/m must be at least 2/);
    expect(() => initFixup(model, 1, { L: 2.5 })).toThrow(/L must be an integer/);
  });
});

describe('Fixup requirements', () => {
  it('needs BatchNorm off, fixupBiases on and learnRes on, and says so', () => {
    const msgs = fixupRequires(smallConfig({ batchNorm: true, fixupBiases: false, learnRes: false }));
    expect(msgs).toHaveLength(3);
    expect(msgs[0]).toMatch(/turn batchNorm off/);
    expect(msgs[1]).toMatch(/turn fixupBiases on/);
    expect(msgs[2]).toMatch(/turn learnRes on/);
    expect(fixupScheme.requires(fixupCfg({ batchNorm: true }))).toEqual([]);
    expect(() => initFixup(buildResNet(smallConfig({ batchNorm: true, fixupBiases: true, learnRes: true }), 1), 1)).toThrow(
      /Fixup does not apply.*\n- Fixup replaces BatchNorm/,
    );
  });
});
