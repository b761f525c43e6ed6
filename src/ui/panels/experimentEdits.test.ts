import { describe, expect, it } from 'vitest';
import { INIT_SCHEMES, RESNET_PRESETS, type InitOptionSpec } from '../../lab';
import { defaultExperiment } from '../../lab/experimentFields';
import { validateExperiment } from '../../lab/experimentChecks';
import { adaptationNote, scheduleOfKind, withOptimizerKind, withScheme, withSchemeOption, withSteps } from './experimentEdits';

describe('withSteps', () => {
  it('drags a cosine schedule that ended with the run along', () => {
    const e = withSteps(defaultExperiment(), 400);
    expect(e.steps).toBe(400);
    expect(e.schedule).toEqual({ kind: 'cosine', totalSteps: 400 });
  });
  it('leaves an edited cosine length and other schedules alone', () => {
    const edited = { ...defaultExperiment(), schedule: { kind: 'cosine' as const, totalSteps: 700 } };
    expect(withSteps(edited, 400).schedule).toEqual({ kind: 'cosine', totalSteps: 700 });
    const step = { ...defaultExperiment(), schedule: scheduleOfKind('step', 1000) };
    expect(withSteps(step, 10).schedule).toBe(step.schedule);
  });
});

describe('withOptimizerKind', () => {
  it('keeps hyperparameters within a family', () => {
    const e = withOptimizerKind({ ...defaultExperiment(), optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.5 } }, 'sgd-nesterov');
    expect(e.optimizer).toEqual({ kind: 'sgd-nesterov', lr: 0.1, momentum: 0.5 });
  });
  it('switching family takes the defaults and stays valid', () => {
    const e = withOptimizerKind(defaultExperiment(), 'adamw');
    expect(e.optimizer.momentum).toBeUndefined();
    expect(e.optimizer).toMatchObject({ kind: 'adamw', lr: 0.05, beta1: 0.9, beta2: 0.999, weightDecay: 0.01 });
    expect(validateExperiment(e)).toEqual([]);
    expect(validateExperiment(withOptimizerKind(e, 'sgd'))).toEqual([]);
  });
});

describe('scheduleOfKind', () => {
  it('sizes schedules to the run and produces valid ones', () => {
    expect(scheduleOfKind('step', 1000)).toEqual({ kind: 'step', milestones: [500, 750], gamma: 0.1 });
    expect(scheduleOfKind('step', 1)).toEqual({ kind: 'step', milestones: [1, 2], gamma: 0.1 });
    expect(scheduleOfKind('cosine', 300)).toEqual({ kind: 'cosine', totalSteps: 300 });
    for (const k of ['constant', 'step', 'cosine'] as const) {
      expect(validateExperiment({ ...defaultExperiment(), schedule: scheduleOfKind(k, 1000) })).toEqual([]);
    }
  });
});

describe('withScheme', () => {
  it('adds in catalog order and removes', () => {
    const one = { ...defaultExperiment(), schemes: [{ id: 'fixup' as const }] };
    expect(withScheme(one, 'risotto', true).schemes.map((s) => s.id)).toEqual(['risotto', 'fixup']);
    expect(withScheme(one, 'fixup', false).schemes).toEqual([]);
    expect(withScheme(one, 'fixup', true)).toBe(one);
  });
});

describe('withSchemeOption', () => {
  const aRes = INIT_SCHEMES.risotto.options.find((o) => o.key === 'aRes') as InitOptionSpec;
  it('stores a non-default value and drops the key at the default', () => {
    const e = withSchemeOption(defaultExperiment(), 'risotto', aRes, 0.5);
    expect(e.schemes[0]).toEqual({ id: 'risotto', options: { aRes: 0.5 } });
    expect(withSchemeOption(e, 'risotto', aRes, 1).schemes[0]).toEqual({ id: 'risotto' });
    expect(withSchemeOption(e, 'risotto', aRes, undefined).schemes[0]).toEqual({ id: 'risotto' });
  });
});

describe('adaptationNote', () => {
  it('says what Fixup changes about a BatchNorm model', () => {
    const model = { ...defaultExperiment().model, batchNorm: true };
    const cfg = INIT_SCHEMES.fixup.configFor({ ...RESNET_PRESETS.resnet8, blocksPerStage: [1, 1, 1], batchNorm: true });
    expect(adaptationNote('Fixup', model, cfg)).toBe(
      'Fixup trains without BatchNorm, learns the residual weight a_res and adds learned scalar biases.',
    );
  });
  it('is silent when the scheme trains the model as chosen', () => {
    const model = defaultExperiment().model;
    const cfg = INIT_SCHEMES.he.configFor({
      ...RESNET_PRESETS.resnet8,
      blocksPerStage: [1, 1, 1],
      batchNorm: false,
      learnRes: false,
      postAddRelu: true,
    });
    expect(adaptationNote('He', model, cfg)).toBe('');
  });
});
