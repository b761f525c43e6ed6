// The registry as the lab uses it: every scheme, on configs it adjusts itself, gives a
// complete, finite, seed-determined set of values; UI text and requirements are there.

import { describe, expect, it } from 'vitest';
import { numel } from '../../engine/graph';
import { buildResNet } from '../resnet';
import { defaultResNetConfig } from '../resnetConfig';
import { INIT_SCHEME_IDS, INIT_SCHEMES, initScheme, isInitSchemeId } from './registry';
import { smallConfig } from './testing';

const bases = [
  smallConfig({ batchNorm: true, skip: 'C' }),
  smallConfig({ blocksPerStage: [2, 1, 1, 1], inputSize: 5, postAddRelu: false }),
  smallConfig({ block: 'bottleneck', skip: 'C', batchNorm: true }),
  smallConfig({ block: 'bottleneck', skip: 'C', stem: 'imagenet', inputSize: 13 }),
];

describe('INIT_SCHEMES', () => {
  it('lists the seven schemes under their own ids, each with UI text and documented options', () => {
    expect(INIT_SCHEME_IDS).toEqual(['risotto', 'he', 'fixup', 'skipinit', 'rezero', 'deltaOrthogonal', 'looksLinearNoCorrection']);
    for (const id of INIT_SCHEME_IDS) {
      const s = INIT_SCHEMES[id];
      expect(s.id).toBe(id);
      expect(s.label.length).toBeGreaterThan(2);
      expect(s.description.length).toBeGreaterThan(40);
      for (const o of s.options) expect(o.description.length, `${id}.${o.key}`).toBeGreaterThan(10);
    }
    expect(INIT_SCHEMES.risotto.options.map((o) => [o.key, o.default])).toEqual([
      ['aRes', 1],
      ['aSkip', 1],
      ['permutation', 'identity'],
    ]);
    expect(INIT_SCHEMES.fixup.options.map((o) => [o.key, o.default])).toEqual([
      ['L', null],
      ['m', null],
    ]);
    expect(isInitSchemeId('fixup')).toBe(true);
    expect(isInitSchemeId('toString')).toBe(false);
    expect(() => initScheme('nope' as never)).toThrow(/unknown init scheme 'nope'/);
  });

  for (const id of INIT_SCHEME_IDS) {
    it(`${id}: configFor meets requires, init sets every non-activation tensor, seeds decide the values`, () => {
      const s = INIT_SCHEMES[id];
      for (const base of bases) {
        const snapshot = JSON.stringify(base);
        const cfg = s.configFor(base);
        expect(JSON.stringify(base)).toBe(snapshot); // base untouched
        expect(s.requires(cfg)).toEqual([]);
        const model = buildResNet(cfg, 2);
        const v = s.init(model, 42);
        for (const t of model.graph.tensors) {
          if (t.role === 'activation' || t.role === 'input' || t.role === 'label') {
            expect(v.has(t.id), t.name).toBe(false);
            continue;
          }
          const x = v.get(t.id);
          expect(x?.length, t.name).toBe(numel(t.shape));
          expect(x!.every(Number.isFinite), t.name).toBe(true);
        }
        const again = s.init(model, 42);
        const other = s.init(model, 43);
        let differs = false;
        for (const [tid, x] of v) {
          expect(again.get(tid), model.graph.tensors[tid].name).toEqual(x);
          if (other.get(tid)!.some((y, k) => y !== x[k])) differs = true;
        }
        expect(differs).toBe(true);
      }
    });
  }

  it('requires() is empty on the default architecture only for schemes that fit BatchNorm', () => {
    const cfg = defaultResNetConfig();
    const fits = INIT_SCHEME_IDS.filter((id) => INIT_SCHEMES[id].requires(cfg).length === 0);
    expect(fits).toEqual(['risotto', 'he', 'deltaOrthogonal', 'looksLinearNoCorrection']);
    for (const id of ['fixup', 'skipinit', 'rezero'] as const) {
      for (const msg of INIT_SCHEMES[id].requires(cfg)) expect(msg).toMatch(/: turn \w+ (on|off)/);
    }
  });

  it('on Type B bottlenecks every scheme fits but Risotto, which says why', () => {
    const cfg = smallConfig({ block: 'bottleneck', skip: 'B' });
    const refused = INIT_SCHEME_IDS.filter((id) => INIT_SCHEMES[id].requires(INIT_SCHEMES[id].configFor(cfg)).length > 0);
    expect(refused).toEqual(['risotto']);
    expect(INIT_SCHEMES.risotto.requires(cfg).join(' ')).toMatch(/rank-n|rank n.*bottleneck/);
  });
});
