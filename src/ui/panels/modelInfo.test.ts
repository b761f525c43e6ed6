import { describe, expect, it } from 'vitest';
import { countParams, INIT_SCHEMES } from '../../lab';
import { resnetConfigFor } from '../../lab/modelFactory';
import { defaultExperiment } from '../../lab/experimentFields';
import { modelInfo, shapeFor } from './modelInfo';

describe('shapeFor', () => {
  it('prefers the loaded dataset, falls back to the catalog, knows nothing of uploads', () => {
    expect(shapeFor('shapes')).toEqual({ channels: 3, size: 32, classes: 10 });
    expect(shapeFor('mnist', { id: 'mnist', channels: 1, size: 28, classes: 10 })).toEqual({ channels: 1, size: 28, classes: 10 });
    expect(shapeFor('mnist', { id: 'shapes', channels: 3, size: 32, classes: 10 })).toEqual({ channels: 1, size: 28, classes: 10 });
    expect(shapeFor('abc123')).toBeUndefined();
  });
});

describe('modelInfo', () => {
  it('sizes the first scheme’s network and notes what each scheme changes', () => {
    const e = { ...defaultExperiment(), model: { ...defaultExperiment().model, batchNorm: true } };
    const info = modelInfo(e, shapeFor(e.dataset));
    const first = resnetConfigFor(e, e.schemes[0], { channels: 3, size: 32, classes: 10 }).config;
    expect(info.params).toBe(countParams(first));
    expect(info.flops).toBeGreaterThan(1e6);
    expect(info.statsFor).toBe(INIT_SCHEMES.risotto.label);
    expect(info.schemes.fixup.note).toMatch(/^Fixup trains without BatchNorm/);
    expect(info.schemes.risotto.problems).toEqual([]);
  });
  it('reports requirement problems per scheme', () => {
    const e = { ...defaultExperiment(), model: { ...defaultExperiment().model, width: 5 } };
    const info = modelInfo(e, shapeFor(e.dataset));
    expect(info.schemes.risotto.problems.join(' ')).toMatch(/even width/);
    expect(info.schemes.he.problems).toEqual([]);
  });
  it('an invalid network gives problems, no size, and no exception', () => {
    const e = { ...defaultExperiment(), model: { ...defaultExperiment().model, preset: 'custom' as const, blocksPerStage: [1, 1] } };
    const info = modelInfo(e, shapeFor(e.dataset));
    expect(info.params).toBeUndefined();
    expect(info.schemes.he.problems.length).toBeGreaterThan(0);
    expect(modelInfo(e, undefined)).toEqual({ schemes: {} });
  });
});
