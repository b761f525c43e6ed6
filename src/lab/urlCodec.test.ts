// Shareable links: every field round-trips alone and together, random valid configs
// round-trip exactly and silently, the compressed form is used only when shorter, and
// links carry autostart. Hostile and broken links are in urlCodecHostile.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validConfig } from './configTesting';
import { defaultExperiment } from './experimentFields';
import { validateExperiment } from './experimentChecks';
import { type ExperimentConfig, type SchemeChoice } from './experimentConfig';
import { decodeExperiment, decodeExperimentJson, encodeExperiment, experimentLink } from './urlCodec';

type Edit = (c: ExperimentConfig) => void;

const HASH = 'ab'.repeat(32);

/** Each changes one field (or one section) away from the default, to a valid value. */
const EDITS: Record<string, Edit> = {
  'dataset mnist': (c) => (c.dataset = 'mnist'),
  'dataset upload hash': (c) => (c.dataset = HASH),
  'model preset': (c) => (c.model = { ...c.model, preset: 'resnet20', blocksPerStage: [3, 3, 3] }),
  'custom blocks, 4 stages': (c) => (c.model = { ...c.model, preset: 'custom', blocksPerStage: [2, 3, 4, 5] }),
  'bottleneck preset': (c) => (c.model = { ...c.model, preset: 'resnet50', blocksPerStage: [3, 4, 6, 3], block: 'bottleneck' }),
  'custom bottleneck blocks': (c) => (c.model = { ...c.model, preset: 'custom', blocksPerStage: [1, 2, 1], block: 'bottleneck' }),
  'ImageNet stem': (c) => (c.model.stem = 'imagenet'),
  'scalar lr': (c) => (c.optimizer.scalarLr = 0.1),
  'no decay on scalars': (c) => (c.optimizer.scalarWeightDecay = false),
  'custom, default blocks': (c) => (c.model.preset = 'custom'),
  width: (c) => (c.model.width = 32),
  skip: (c) => (c.model.skip = 'C'),
  batchNorm: (c) => (c.model.batchNorm = true),
  'one scheme': (c) => (c.schemes = [{ id: 'he' }]),
  'schemes with options': (c) =>
    (c.schemes = [
      { id: 'risotto', options: { aRes: -0.5, aSkip: 2, permutation: 'random' } },
      { id: 'fixup', options: { L: 7, m: 3 } },
      { id: 'rezero' },
    ]),
  'same scheme, two options': (c) => (c.schemes = [{ id: 'risotto' }, { id: 'risotto', options: { aRes: 0.25 } }]),
  'optimizer adam, all fields': (c) => (c.optimizer = { kind: 'adam', lr: 1e-3, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 }),
  'optimizer adamw, bare': (c) => (c.optimizer = { kind: 'adamw', lr: 3e-4 }),
  'sgd without momentum set': (c) => (c.optimizer = { kind: 'sgd', lr: 0.05, weightDecay: 5e-4 }),
  'sgd-nesterov': (c) => (c.optimizer = { kind: 'sgd-nesterov', lr: 0.1, momentum: 0.95 }),
  lr: (c) => (c.optimizer.lr = 0.1),
  momentum: (c) => (c.optimizer.momentum = 0),
  weightDecay: (c) => (c.optimizer.weightDecay = 0),
  'schedule constant': (c) => (c.schedule = { kind: 'constant' }),
  'schedule step': (c) => (c.schedule = { kind: 'step', milestones: [300, 600], gamma: 0.2 }),
  'schedule cosine total + minLr': (c) => (c.schedule = { kind: 'cosine', totalSteps: 500, minLr: 0.001 }),
  warmupSteps: (c) => (c.warmupSteps = 0),
  batchSize: (c) => (c.batchSize = 128),
  steps: (c) => (c.steps = 5000),
  evalEvery: (c) => (c.evalEvery = 50),
  evalBatches: (c) => (c.evalBatches = 0),
  flip: (c) => (c.augment.flip = false),
  cropPad: (c) => (c.augment.cropPad = 0),
  mixup: (c) => (c.augment.mixup = 1),
  seed: (c) => (c.seed = 2 ** 32 - 1),
  'spectrumAt empty': (c) => (c.spectrumAt = []),
  'spectrumAt several': (c) => (c.spectrumAt = [0, 10, 100]),
  'diagnostics bnStats': (c) => (c.diagnostics.bnStats = 'running'),
  'diagnostics noise pairs': (c) => (c.diagnostics = { ...c.diagnostics, signal: 'noise', inputCosine: -0.5, pairs: 3 }),
  'diagnostics map': (c) => (c.diagnostics = { ...c.diagnostics, from: 'stem', toStage: 2 }),
};

function edited(...edits: Edit[]): ExperimentConfig {
  const c = defaultExperiment();
  for (const e of edits) e(c);
  return c;
}

function expectRoundTrip(c: ExperimentConfig): string {
  expect(validateExperiment(c)).toEqual([]);
  const q = encodeExperiment(c);
  const back = decodeExperiment(q);
  expect(back.warnings).toEqual([]);
  expect(back.config).toStrictEqual(c);
  return q;
}

describe('encodeExperiment / decodeExperiment', () => {
  it('writes the default experiment as just the version', () => {
    expect(encodeExperiment(defaultExperiment())).toBe('v=2');
    expect(decodeExperiment('v=2')).toStrictEqual({ config: defaultExperiment(), warnings: [], notes: [] });
  });

  it.each(Object.entries(EDITS))('round-trips %s changed alone, writing only what changed', (_, edit) => {
    const q = expectRoundTrip(edited(edit));
    expect(q).not.toBe('v=2');
    expect(q.length).toBeLessThan(200);
  });

  it('round-trips every field changed at once', () => {
    const c: ExperimentConfig = {
      version: 2,
      dataset: HASH,
      model: { preset: 'custom', blocksPerStage: [5, 5, 5], block: 'basic', stem: 'cifar', width: 24, skip: 'C', batchNorm: true },
      schemes: [{ id: 'risotto', options: { aSkip: 0.5 } }, { id: 'skipinit' }],
      optimizer: { kind: 'adam', lr: 2e-3, beta1: 0.85, beta2: 0.95, eps: 1e-7, weightDecay: 0 },
      schedule: { kind: 'cosine', totalSteps: 4000, minLr: 1e-5 },
      warmupSteps: 100,
      batchSize: 256,
      steps: 4000,
      evalEvery: 250,
      evalBatches: 0,
      augment: { flip: false, cropPad: 4, mixup: 0.2 },
      seed: 12345,
      seeds: 3,
      lossTarget: 0.25,
      spectrumAt: [0, 500],
      diagnostics: { bnStats: 'running', signal: 'noise', inputCosine: 0.25, pairs: 4, from: 'stem', toStage: 3 },
    };
    const d = defaultExperiment();
    for (const f of Object.keys(c) as (keyof ExperimentConfig)[]) if (f !== 'version') expect(c[f], f).not.toEqual(d[f]);
    const q = expectRoundTrip(c);
    expect(q).toContain('&total=4000&minlr=0.00001&');
  });

  it('takes an experiment saved before mixup existed (no augment.mixup) as valid, with mixup off', () => {
    const old = defaultExperiment();
    delete old.augment.mixup;
    expect(validateExperiment(old)).toEqual([]);
    expect(decodeExperimentJson(old).config.augment.mixup).toBe(0);
  });

  it('writes choices as short readable keys', () => {
    const c = edited(EDITS['model preset'], EDITS['schemes with options'], EDITS.batchNorm);
    expect(encodeExperiment(c)).toBe('v=2&net=resnet20&bn=1&init=risotto(aRes:-0.5,aSkip:2,permutation:random),fixup(L:7,m:3),rezero');
  });

  it('reads the leading ? or # and hand-written links without a version', () => {
    for (const q of ['?v=2&w=32', '#v=2&w=32', 'w=32', 'W=32&w=32'.slice(5)]) {
      const d = decodeExperiment(q);
      expect(d.warnings).toEqual([]);
      expect(d.config.model.width).toBe(32);
    }
    expect(decodeExperiment('opt=ADAMW&init=Risotto(aRes=2),HE').config).toMatchObject({
      optimizer: { kind: 'adamw' },
      schemes: [{ id: 'risotto', options: { aRes: 2 } }, { id: 'he' }],
    });
  });

  it('packs long configs into c= only when that is shorter, and reads them back', () => {
    const many = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((k): SchemeChoice[] => [
      { id: 'risotto', options: { aRes: 1 / k, aSkip: k, permutation: 'random' } },
      { id: 'fixup', options: { L: k, m: 2 + k } },
    ]);
    const c = edited((x) => (x.schemes = many), EDITS.width);
    const q = expectRoundTrip(c);
    expect(q).toMatch(/^v=2&c=[A-Za-z0-9+\-$]+$/);
    const init = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((k) => `risotto(aRes:${1 / k},aSkip:${k},permutation:random),fixup(L:${k},m:${2 + k})`)
      .join(',');
    expect(q.length).toBeLessThan(`v=2&w=32&init=${init}`.length);
    expect(encodeExperiment(edited(EDITS.width, EDITS.seed))).not.toContain('c=');
  });

  it('round-trips random valid configs exactly and without warnings', () => {
    fc.assert(
      fc.property(validConfig(), (c) => void expectRoundTrip(c)),
      { numRuns: 300 },
    );
  });
});

describe('links', () => {
  it('puts the experiment in the fragment and run=1 for autostart', () => {
    const c = edited(EDITS.width);
    expect(experimentLink('https://x.org/lab/?lang=en#old', c)).toBe('https://x.org/lab/?lang=en#v=2&w=32');
    const link = experimentLink('https://x.org/lab/', c, { autostart: true });
    expect(link).toBe('https://x.org/lab/#v=2&w=32&run=1');
    const hash = link.slice(link.indexOf('#'));
    expect(decodeExperiment(hash)).toStrictEqual({ config: c, warnings: [], notes: [] });
  });
});

describe('decodeExperimentJson', () => {
  it('reads a full config exactly and reports unknown or misplaced fields', () => {
    const c = edited(EDITS['schemes with options'], EDITS['optimizer adam, all fields']);
    expect(decodeExperimentJson(JSON.parse(JSON.stringify(c)))).toStrictEqual({ config: c, warnings: [], unknownFields: [], notes: [] });
    const d = decodeExperimentJson({ ...c, extra: 1, model: { ...c.model, depth: 3 }, optimizer: { ...c.optimizer, momentum: 0.9 } });
    expect(d.config).toStrictEqual(c);
    expect(d.warnings.join('\n')).toMatch(/unknown field extra/);
    expect(d.warnings.join('\n')).toMatch(/unknown field model\.depth/);
    expect(d.warnings.join('\n')).toMatch(/optimizer\.momentum = 0\.9: applies only to the SGD optimizers/);
  });
});
