// Runs as a list: a link or JSON names each run's scheme, options and own model settings;
// a run's settings reach the ResNet it trains and its label; version-1 links open
// unchanged with a note.

import { describe, expect, it } from 'vitest';
import { buildResNet } from '../nn/resnet';
import { defaultExperiment } from './experimentFields';
import { validateExperiment } from './experimentChecks';
import { type ExperimentConfig } from './experimentConfig';
import { initialValues, resnetConfigFor } from './modelFactory';
import { runLabel } from './runModel';
import { runKey } from './runState';
import { decodeExperiment, decodeExperimentJson, encodeExperiment } from './urlCodec';

const SHAPE = { channels: 3, size: 12, classes: 4 };

describe('the run list in links and JSON', () => {
  it('reads scheme, options and run settings from a link, and writes them back the same', () => {
    const { config, warnings, notes } = decodeExperiment(
      'v=2&init=risotto,risotto[bn:1],he[bn:1,lres:1],fixup(m:3)[ares:0.5,blocks:2/2/2]',
    );
    expect([warnings, notes]).toEqual([[], []]);
    expect(config.schemes).toEqual([
      { id: 'risotto' },
      { id: 'risotto', model: { batchNorm: true } },
      { id: 'he', model: { batchNorm: true, learnRes: true } },
      { id: 'fixup', options: { m: 3 }, model: { aRes: 0.5, blocksPerStage: [2, 2, 2] } },
    ]);
    expect(encodeExperiment(config)).toBe('v=2&init=risotto,risotto[bn:1],he[bn:1,lres:1],fixup(m:3)[ares:0.5,blocks:2/2/2]');
    expect(decodeExperimentJson(JSON.parse(JSON.stringify(config)))).toMatchObject({ config, warnings: [] });
  });

  it('drops unknown or bad run settings with a note that names them and lists the known ones', () => {
    const { config, warnings } = decodeExperiment('init=he[bn:1,bm:1],risotto[ares:0],he[skip:D]');
    expect(config.schemes).toEqual([{ id: 'he', model: { batchNorm: true } }, { id: 'risotto' }, { id: 'he' }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /he\[bn:1,bm:1\]: run setting bm:1 is not one of bn:, skip:, ares:, askip:, lres:, lskip:, blocks:; ignored/,
    );
    expect(warnings[0]).toMatch(/risotto aRes must not be 0 \(the scheme divides by it\), dropped/);
    expect(warnings[0]).toMatch(/he skip=D is not one of B, C, dropped/);
    const json = decodeExperimentJson({ schemes: [{ id: 'he', model: { batchNorm: 'yes', depth: 3 } }] });
    expect(json.config.schemes).toEqual([{ id: 'he' }]);
    expect(json.warnings.join()).toMatch(
      /he batchNorm=yes is not true or false, dropped.*he has no model setting depth \(settings: batchNorm, skip, aRes, aSkip, learnRes, learnSkip, blocksPerStage\), dropped/,
    );
  });

  it('keeps the same scheme with and without BN as two runs, and refuses an exact repeat', () => {
    expect(decodeExperiment('init=he,he[bn:1]').config.schemes).toHaveLength(2);
    const { config, warnings } = decodeExperiment('init=he[bn:1],he[bn:1]');
    expect(config.schemes).toEqual([{ id: 'he', model: { batchNorm: true } }]);
    expect(warnings).toEqual(['init=he[bn:1],he[bn:1]: he[bn:1] is listed twice, dropped the repeat']);
    expect(
      validateExperiment({
        ...defaultExperiment(),
        schemes: [
          { id: 'he', model: { batchNorm: true } },
          { id: 'he', model: { batchNorm: true } },
        ],
      }).join(),
    ).toMatch(/listed twice/);
  });

  it('opens a version-1 link unchanged, with a note saying so', () => {
    const v1 = decodeExperiment('v=1&bn=1&init=risotto,he&w=32');
    const v2 = decodeExperiment('v=2&bn=1&init=risotto,he&w=32');
    expect(v1.config).toEqual(v2.config);
    expect(v1.warnings).toEqual([]);
    expect(v1.notes).toEqual([
      'v=1: made by version 1 of the lab; opened unchanged as version 2, whose runs can also carry their own model settings (e.g. init=he,he[bn:1])',
    ]);
    expect(decodeExperimentJson({ version: 1, steps: 50 }).notes).toHaveLength(1);
    expect(validateExperiment({ ...defaultExperiment(), version: 1 })).toEqual([]);
    expect(validateExperiment({ ...defaultExperiment(), version: 7 })).toEqual([
      'experiment version 7 is not supported (this lab reads version 2)',
    ]);
  });
});

describe('what a run changes', () => {
  const exp: ExperimentConfig = {
    ...defaultExperiment(),
    model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 8, skip: 'B', batchNorm: false },
  };

  it('its settings reach the ResNet it trains; the scheme still has the last word (Fixup removes BN)', () => {
    const he = resnetConfigFor(
      exp,
      { id: 'he', model: { batchNorm: true, skip: 'C', learnRes: true, learnSkip: true, blocksPerStage: [2, 1, 1, 1] } },
      SHAPE,
    ).config;
    expect(he).toMatchObject({ batchNorm: true, skip: 'C', learnRes: true, learnSkip: true, blocksPerStage: [2, 1, 1, 1] });
    expect(resnetConfigFor(exp, { id: 'he' }, SHAPE).config).toMatchObject({
      batchNorm: false,
      skip: 'B',
      learnRes: false,
      blocksPerStage: [1, 1, 1],
    });
    expect(resnetConfigFor(exp, { id: 'fixup', model: { batchNorm: true } }, SHAPE).config.batchNorm).toBe(false);
  });

  it('sets every block a_res / a_skip: through the scheme when it has the option, after it otherwise', () => {
    const scalars = (run: Parameters<typeof initialValues>[2]) => {
      const model = buildResNet(resnetConfigFor(exp, run, SHAPE).config, 1);
      const v = initialValues(model, 1, run);
      return ['aRes', 'aSkip'].map((k) => [...new Set(model.params.filter((p) => p.kind === k).map((p) => v.get(p.id)![0]))]);
    };
    expect(scalars({ id: 'he', model: { aRes: 0.25, aSkip: 2 } })).toEqual([[0.25], [2]]);
    expect(scalars({ id: 'he' })).toEqual([[1], [1]]);
    // Risotto builds its weights around a_res / a_skip: the run's values are its options.
    expect(scalars({ id: 'risotto', model: { aRes: 0.5 } })).toEqual([[0.5], [1]]);
  });

  it('labels and keys tell the runs apart', () => {
    expect(runLabel({ id: 'he', model: { batchNorm: true } })).toBe('He (Kaiming) normal + BN');
    expect(runLabel({ id: 'risotto', model: { batchNorm: false, learnRes: true } })).toBe('Risotto without BN, learnable a_res');
    expect(runLabel({ id: 'fixup', model: { blocksPerStage: [2, 2, 2] } })).toBe('Fixup, blocks 2,2,2');
    expect(runKey({ id: 'he', model: { batchNorm: true, learnRes: true } })).toBe('he[bn=1,lres=1]');
    expect(runKey({ id: 'risotto', options: { aRes: 0.5 } })).toBe('risotto(aRes=0.5)');
  });
});
