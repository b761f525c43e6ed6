// ReZero against docs/science.md section 4: SkipInit's values on a net without the
// post-addition ReLU, x' = x + alpha F(x) with alpha = 0, so blocks are the identity.

import { describe, expect, it } from 'vitest';
import { runForward } from '../../engine/cpu/interpreter';
import { RandomStream, Streams } from '../../util/prng';
import { buildResNet } from '../resnet';
import { initReZero, reZeroRequires, reZeroScheme } from './reZero';
import { initZeroResidual } from './skipInit';
import { smallConfig } from './testing';

describe('ReZero', () => {
  const cfg = reZeroScheme.configFor(smallConfig({ batchNorm: true, blocksPerStage: [3, 1, 1] }));
  const model = buildResNet(cfg, 1);

  it('configFor: no post-addition ReLU, learned a_res, no BatchNorm; no requirement left', () => {
    expect(cfg).toMatchObject({ postAddRelu: false, learnRes: true, batchNorm: false });
    expect(reZeroRequires(cfg)).toEqual([]);
  });

  it('alpha = 0 so identity-skip blocks pass their input through exactly; He weights as SkipInit', () => {
    const v = initReZero(model, 3);
    expect(v).toEqual(initZeroResidual(model, 3));
    const all = new Map(v);
    all.set(model.input, new RandomStream(3, Streams.test).normalArray(3 * 4 * 4));
    all.set(model.labels, new Float64Array(1));
    const f = runForward(model.graph, all, 'eval');
    for (const b of model.blocks.filter((x) => x.skip === 'identity')) expect(f.value(b.output)).toEqual(f.value(b.input));
  });

  it('names what to change on other architectures', () => {
    const msgs = reZeroRequires(smallConfig({ batchNorm: true }));
    expect(msgs.join(' ')).toMatch(/turn batchNorm off.*turn learnRes on.*turn postAddRelu off/);
    expect(() => initReZero(buildResNet(smallConfig(), 1), 1)).toThrow(/ReZero does not apply/);
  });
});
