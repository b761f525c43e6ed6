import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../../lab/experimentFields';
import { validateExperiment } from '../../lab/experimentChecks';
import { type ExperimentConfig } from '../../lab/experimentConfig';
import { withSchemeOption } from './experimentEdits';
import { withBnTwin, withoutRun, withRunSetting } from './runEdits';
import { INIT_SCHEMES } from '../../lab';

const base = (): ExperimentConfig => ({ ...defaultExperiment(), schemes: [{ id: 'risotto' }, { id: 'he' }] });

describe('run list edits', () => {
  it('adds the same scheme with BN right after it, once', () => {
    const e = withBnTwin(base(), 1);
    expect(e.schemes).toEqual([{ id: 'risotto' }, { id: 'he' }, { id: 'he', model: { batchNorm: true } }]);
    expect(withBnTwin(e, 1)).toBe(e);
    expect(validateExperiment(e)).toEqual([]);
    // Under a BatchNorm experiment the twin is the one without.
    const bn = withBnTwin({ ...base(), model: { ...base().model, batchNorm: true } }, 0);
    expect(bn.schemes[1]).toEqual({ id: 'risotto', model: { batchNorm: false } });
  });

  it('sets and clears a run setting, refusing a change that repeats another run', () => {
    const e = withRunSetting(base(), 1, 'learnRes', true);
    expect(e.schemes[1]).toEqual({ id: 'he', model: { learnRes: true } });
    expect(withRunSetting(e, 1, 'learnRes', undefined).schemes[1]).toEqual({ id: 'he' });
    const twins = withBnTwin(base(), 1);
    expect(withRunSetting(twins, 2, 'batchNorm', undefined)).toBe(twins);
  });

  it('removes a run but never the last, and scheme options keep the run settings', () => {
    const e = withBnTwin(base(), 0);
    expect(withoutRun(e, 1).schemes).toEqual(base().schemes);
    const one = { ...base(), schemes: [{ id: 'he' as const }] };
    expect(withoutRun(one, 0)).toBe(one);
    const spec = INIT_SCHEMES.risotto.options.find((o) => o.key === 'aRes')!;
    expect(withSchemeOption(e, 'risotto', spec, 0.5).schemes[1]).toEqual({
      id: 'risotto',
      options: { aRes: 0.5 },
      model: { batchNorm: true },
    });
  });
});
