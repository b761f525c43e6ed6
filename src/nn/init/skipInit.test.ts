// SkipInit against docs/science.md section 4: He weights, a_res a learned 0, a_skip 1; every
// identity-skip block is exactly the identity at init; the architecture requirements.

import { describe, expect, it } from 'vitest';
import { runForward } from '../../engine/cpu/interpreter';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { initHe } from './he';
import { initSkipInit, skipInitRequires, skipInitScheme } from './skipInit';
import { smallConfig } from './testing';

describe('SkipInit', () => {
  const model = buildResNet(skipInitScheme.configFor(smallConfig({ batchNorm: true, blocksPerStage: [3, 1, 1] })), 1);
  const v = initSkipInit(model, 4);

  it('He weights, a_res = 0 and learned, a_skip = 1', () => {
    const he = initHe(model, 4);
    for (const p of model.params) {
      if (p.kind === 'aRes') {
        expect(v.get(p.id)).toEqual(Float64Array.of(0));
        expect(model.graph.tensors[p.id].role).toBe('param');
      } else if (p.kind === 'aSkip') expect(v.get(p.id)).toEqual(Float64Array.of(1));
      else expect(v.get(p.id), p.name).toEqual(he.get(p.id));
    }
  });

  it('identity-skip blocks are exactly the identity at init', () => {
    const all = new Map(v);
    all.set(model.input, new RandomStream(2, Streams.test).normalArray(3 * 4 * 4));
    all.set(model.labels, new Float64Array(1));
    const f = runForward(model.graph, all, 'eval');
    const identity = model.blocks.filter((b) => b.skip === 'identity');
    expect(identity).toHaveLength(3);
    for (const b of identity) expect(f.value(b.output)).toEqual(f.value(b.input));
  });

  it('requires BN off, learnRes on and the post-addition ReLU, saying what to change', () => {
    const msgs = skipInitRequires(smallConfig({ batchNorm: true, postAddRelu: false }));
    expect(msgs).toHaveLength(3);
    expect(msgs.join(' ')).toMatch(/turn batchNorm off.*turn learnRes on.*turn postAddRelu on, or choose ReZero/);
    expect(skipInitScheme.requires(model.config)).toEqual([]);
    expect(model.config.batchNorm).toBe(false);
    expect(() => initSkipInit(buildResNet(smallConfig(), 1), 1)).toThrow(/SkipInit does not apply/);
  });
});
