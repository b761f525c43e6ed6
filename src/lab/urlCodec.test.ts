// Shareable links: every field round-trips alone and together, random valid configs
// round-trip exactly and silently, the compressed form is used only when shorter, and
// links carry autostart. Hostile and broken links are in urlCodecHostile.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INIT_SCHEME_IDS } from '../nn/init/registry';
import { BLOCK_TYPES, RESNET_PRESETS, STEM_TYPES, blockOf, type ResNetPresetName } from '../nn/resnetConfig';
import { defaultExperiment, validateExperiment, type ExperimentConfig, type SchemeChoice } from './experiment';
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
  'schemes with options': (c) => (c.schemes = [{ id: 'risotto', options: { aRes: -0.5, aSkip: 2, permutation: 'random' } }, { id: 'fixup', options: { L: 7, m: 3 } }, { id: 'rezero' }]),
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
    expect(encodeExperiment(defaultExperiment())).toBe('v=1');
    expect(decodeExperiment('v=1')).toStrictEqual({ config: defaultExperiment(), warnings: [] });
  });

  it.each(Object.entries(EDITS))('round-trips %s changed alone, writing only what changed', (_, edit) => {
    const q = expectRoundTrip(edited(edit));
    expect(q).not.toBe('v=1');
    expect(q.length).toBeLessThan(200);
  });

  it('round-trips every field changed at once', () => {
    const c: ExperimentConfig = {
      version: 1,
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
      augment: { flip: false, cropPad: 4 },
      seed: 12345,
      spectrumAt: [0, 500],
      diagnostics: { bnStats: 'running', signal: 'noise', inputCosine: 0.25, pairs: 4, from: 'stem', toStage: 3 },
    };
    const d = defaultExperiment();
    for (const f of Object.keys(c) as (keyof ExperimentConfig)[]) if (f !== 'version') expect(c[f], f).not.toEqual(d[f]);
    const q = expectRoundTrip(c);
    expect(q).toContain('&total=4000&minlr=0.00001&');
  });

  it('writes choices as short readable keys', () => {
    const c = edited(EDITS['model preset'], EDITS['schemes with options'], EDITS.batchNorm);
    expect(encodeExperiment(c)).toBe('v=1&net=resnet20&bn=1&init=risotto(aRes:-0.5,aSkip:2,permutation:random),fixup(L:7,m:3),rezero');
  });

  it('reads the leading ? or # and hand-written links without a version', () => {
    for (const q of ['?v=1&w=32', '#v=1&w=32', 'w=32', 'W=32&w=32'.slice(5)]) {
      const d = decodeExperiment(q);
      expect(d.warnings).toEqual([]);
      expect(d.config.model.width).toBe(32);
    }
    expect(decodeExperiment('opt=ADAMW&init=Risotto(aRes=2),HE').config).toMatchObject({ optimizer: { kind: 'adamw' }, schemes: [{ id: 'risotto', options: { aRes: 2 } }, { id: 'he' }] });
  });

  it('packs long configs into c= only when that is shorter, and reads them back', () => {
    const many = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((k): SchemeChoice[] => [
      { id: 'risotto', options: { aRes: 1 / k, aSkip: k, permutation: 'random' } },
      { id: 'fixup', options: { L: k, m: 2 + k } },
    ]);
    const c = edited((x) => (x.schemes = many), EDITS.width);
    const q = expectRoundTrip(c);
    expect(q).toMatch(/^v=1&c=[A-Za-z0-9+\-$]+$/);
    const init = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => `risotto(aRes:${1 / k},aSkip:${k},permutation:random),fixup(L:${k},m:${2 + k})`).join(',');
    expect(q.length).toBeLessThan(`v=1&w=32&init=${init}`.length);
    expect(encodeExperiment(edited(EDITS.width, EDITS.seed))).not.toContain('c=');
  });

  it('round-trips random valid configs exactly and without warnings', () => {
    fc.assert(fc.property(validConfig(), (c) => void expectRoundTrip(c)), { numRuns: 300 });
  });
});

describe('links', () => {
  it('puts the experiment in the fragment and run=1 for autostart', () => {
    const c = edited(EDITS.width);
    expect(experimentLink('https://x.org/lab/?lang=en#old', c)).toBe('https://x.org/lab/?lang=en#v=1&w=32');
    const link = experimentLink('https://x.org/lab/', c, { autostart: true });
    expect(link).toBe('https://x.org/lab/#v=1&w=32&run=1');
    const hash = link.slice(link.indexOf('#'));
    expect(decodeExperiment(hash)).toStrictEqual({ config: c, warnings: [] });
  });
});

describe('decodeExperimentJson', () => {
  it('reads a full config exactly and reports unknown or misplaced fields', () => {
    const c = edited(EDITS['schemes with options'], EDITS['optimizer adam, all fields']);
    expect(decodeExperimentJson(JSON.parse(JSON.stringify(c)))).toStrictEqual({ config: c, warnings: [], unknownFields: [] });
    const d = decodeExperimentJson({ ...c, extra: 1, model: { ...c.model, depth: 3 }, optimizer: { ...c.optimizer, momentum: 0.9 } });
    expect(d.config).toStrictEqual(c);
    expect(d.warnings.join('\n')).toMatch(/unknown field extra/);
    expect(d.warnings.join('\n')).toMatch(/unknown field model\.depth/);
    expect(d.warnings.join('\n')).toMatch(/optimizer\.momentum = 0\.9: applies only to the SGD optimizers/);
  });
});

// ---- a generator of valid configs, field by field within the schema's ranges ----

const nonZero = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x !== 0);
// fast-check builds records without a prototype; the decoder builds plain objects, and
// leaves `options` out when none are set.
const withOptions = (id: 'risotto' | 'fixup', o: object): SchemeChoice => (Object.keys(o).length ? { id, options: { ...o } } : { id });
const schemeArb: fc.Arbitrary<SchemeChoice> = fc.oneof(
  fc.constantFrom(...INIT_SCHEME_IDS).map((id): SchemeChoice => ({ id })),
  fc.record({ aRes: nonZero, aSkip: nonZero, permutation: fc.constantFrom('identity', 'random') }, { requiredKeys: [] }).map((o) => withOptions('risotto', o)),
  fc.record({ L: fc.integer({ min: 1, max: 1e6 }), m: fc.integer({ min: 2, max: 1e6 }) }, { requiredKeys: [] }).map((o) => withOptions('fixup', o)),
);

const unit = fc.double({ min: 0, max: 0.999999, noNaN: true });
const lrArb = fc.double({ min: 1e-8, max: 10, noNaN: true });
const optimizerArb = fc.oneof(
  fc.record({ kind: fc.constantFrom('sgd' as const), lr: lrArb, momentum: unit, weightDecay: fc.double({ min: 0, max: 1, noNaN: true }) }, { requiredKeys: ['kind', 'lr'] }),
  fc.record({ kind: fc.constantFrom('sgd-nesterov' as const), lr: lrArb, momentum: unit.filter((m) => m > 0) }, { requiredKeys: ['kind', 'lr'] }),
  fc.record(
    { kind: fc.constantFrom('adam' as const, 'adamw' as const), lr: lrArb, beta1: unit, beta2: unit, eps: fc.double({ min: 1e-12, max: 1, noNaN: true }), weightDecay: fc.double({ min: 0, max: 1, noNaN: true }) },
    { requiredKeys: ['kind', 'lr'] },
  ),
).map((o) => ({ ...o }));

const presetArb = fc.constantFrom(...(Object.keys(RESNET_PRESETS) as ResNetPresetName[]), 'custom' as const);
const int = (min: number, max: number) => fc.integer({ min, max });

function validConfig(): fc.Arbitrary<ExperimentConfig> {
  return fc
    .record({
      dataset: fc.oneof(fc.constantFrom('mnist', 'shapes'), fc.stringMatching(/^[0-9a-f]{64}$/)),
      preset: presetArb,
      blocks: fc.array(int(1, 100), { minLength: 3, maxLength: 4 }),
      block: fc.constantFrom(...BLOCK_TYPES),
      stem: fc.constantFrom(...STEM_TYPES),
      width: int(1, 512),
      skip: fc.constantFrom('B' as const, 'C' as const),
      batchNorm: fc.boolean(),
      schemes: fc.uniqueArray(schemeArb, { minLength: 1, maxLength: 6, selector: (s) => JSON.stringify([s.id, s.options ?? {}]) }),
      optimizer: optimizerArb,
      scheduleKind: fc.constantFrom('constant', 'step', 'cosine'),
      milestones: fc.uniqueArray(int(1, 1e7), { maxLength: 8 }).map((m) => m.sort((a, b) => a - b)),
      gamma: fc.double({ min: 1e-6, max: 100, noNaN: true }),
      extraSteps: int(1, 1e6),
      minLrFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      warmupSteps: int(0, 1e6),
      batchSize: int(2, 4096),
      steps: int(1, 1e7),
      evalEvery: int(1, 1e7),
      evalBatches: int(0, 100000),
      flip: fc.boolean(),
      cropPad: int(0, 8),
      seed: int(0, 2 ** 32 - 1),
      spectrumAt: fc.array(int(0, 1e7), { maxLength: 8 }),
      bnStats: fc.constantFrom('batch' as const, 'running' as const),
      signal: fc.constantFrom('data' as const, 'noise' as const),
      inputCosine: fc.double({ min: -1, max: 1, noNaN: true }).map((x) => x + 0), // -0 is the cosine 0; the link writes 0
      pairs: int(1, 32),
      from: fc.constantFrom('image' as const, 'stem' as const),
      toStage: int(0, 3),
    })
    .map((r): ExperimentConfig => {
      const blocksPerStage = r.preset === 'custom' ? r.blocks : [...RESNET_PRESETS[r.preset].blocksPerStage];
      const block = r.preset === 'custom' ? r.block : blockOf(RESNET_PRESETS[r.preset]);
      const totalSteps = r.warmupSteps + r.extraSteps;
      const schedule =
        r.scheduleKind === 'constant'
          ? { kind: 'constant' as const }
          : r.scheduleKind === 'step'
            ? { kind: 'step' as const, milestones: r.milestones, gamma: r.gamma }
            : r.minLrFraction === undefined
              ? { kind: 'cosine' as const, totalSteps }
              : { kind: 'cosine' as const, totalSteps, minLr: r.optimizer.lr * r.minLrFraction };
      return {
        version: 1,
        dataset: r.dataset,
        model: { preset: r.preset, blocksPerStage, block, stem: r.stem, width: r.width, skip: r.skip, batchNorm: r.batchNorm },
        schemes: r.schemes,
        optimizer: r.optimizer,
        schedule,
        warmupSteps: r.warmupSteps,
        batchSize: r.batchSize,
        steps: r.steps,
        evalEvery: r.evalEvery,
        evalBatches: r.evalBatches,
        augment: { flip: r.flip, cropPad: r.cropPad },
        seed: r.seed,
        spectrumAt: r.spectrumAt,
        // The input cosine means something (and travels) only for Gaussian pairs.
        diagnostics: { bnStats: r.bnStats, signal: r.signal, inputCosine: r.signal === 'noise' ? r.inputCosine : 0, pairs: r.pairs, from: r.from, toStage: r.toStage },
      };
    });
}
