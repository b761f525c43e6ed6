// Test helper: a fast-check generator of valid experiment configs, field by field within
// the field table's ranges (the links', JSON's and CLI's round-trip properties share it).
// Used by tests only.

import fc from 'fast-check';
import { INIT_SCHEME_IDS, blockOf, STEM_TYPES, BLOCK_TYPES, RESNET_PRESETS, type ResNetPresetName } from '../nn';
import { EXPERIMENT_VERSION, type ExperimentConfig, type SchemeChoice } from './experimentConfig';
import { defaultExperiment } from './experimentFields';

const nonZero = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x !== 0);
// fast-check builds records without a prototype; the decoder builds plain objects, and
// leaves `options` out when none are set.
const withOptions = (id: 'risotto' | 'fixup', o: object): SchemeChoice => (Object.keys(o).length ? { id, options: { ...o } } : { id });
const schemeArb: fc.Arbitrary<SchemeChoice> = fc.oneof(
  fc.constantFrom(...INIT_SCHEME_IDS).map((id): SchemeChoice => ({ id })),
  fc
    .record({ aRes: nonZero, aSkip: nonZero, permutation: fc.constantFrom('identity', 'random') }, { requiredKeys: [] })
    .map((o) => withOptions('risotto', o)),
  fc
    .record({ L: fc.integer({ min: 1, max: 1e6 }), m: fc.integer({ min: 2, max: 1e6 }) }, { requiredKeys: [] })
    .map((o) => withOptions('fixup', o)),
);

// A run's own model settings, any subset (a_res / a_skip non-zero: Risotto divides by them).
const scalar = fc.double({ min: -100, max: 100, noNaN: true }).filter((x) => x !== 0);
const runModelArb = fc.record(
  {
    batchNorm: fc.boolean(),
    skip: fc.constantFrom('B' as const, 'C' as const),
    aRes: scalar,
    aSkip: scalar,
    learnRes: fc.boolean(),
    learnSkip: fc.boolean(),
    blocksPerStage: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 3, maxLength: 4 }),
  },
  { requiredKeys: [] },
);
const runArb: fc.Arbitrary<SchemeChoice> = fc
  .tuple(schemeArb, fc.option(runModelArb, { nil: undefined }))
  .map(([s, m]) => (m && Object.keys(m).length ? { ...s, model: { ...m } } : s));

const unit = fc.double({ min: 0, max: 0.999999, noNaN: true });
const lrArb = fc.double({ min: 1e-8, max: 10, noNaN: true });
const optimizerArb = fc
  .oneof(
    fc.record(
      { kind: fc.constantFrom('sgd' as const), lr: lrArb, momentum: unit, weightDecay: fc.double({ min: 0, max: 1, noNaN: true }) },
      { requiredKeys: ['kind', 'lr'] },
    ),
    fc.record(
      { kind: fc.constantFrom('sgd-nesterov' as const), lr: lrArb, momentum: unit.filter((m) => m > 0) },
      { requiredKeys: ['kind', 'lr'] },
    ),
    fc.record(
      {
        kind: fc.constantFrom('adam' as const, 'adamw' as const),
        lr: lrArb,
        beta1: unit,
        beta2: unit,
        eps: fc.double({ min: 1e-12, max: 1, noNaN: true }),
        weightDecay: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: ['kind', 'lr'] },
    ),
  )
  .map((o) => ({ ...o }));

const presetArb = fc.constantFrom(...(Object.keys(RESNET_PRESETS) as ResNetPresetName[]), 'custom' as const);
const int = (min: number, max: number) => fc.integer({ min, max });

export function validConfig(): fc.Arbitrary<ExperimentConfig> {
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
      schemes: fc.uniqueArray(runArb, {
        minLength: 1,
        maxLength: 6,
        selector: (s) => JSON.stringify([s.id, s.options ?? {}, s.model ?? {}]),
      }),
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
      mixup: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })),
      seed: int(0, 2 ** 32 - 1),
      seeds: int(1, 10),
      lossTarget: fc.double({ min: 1e-6, max: 100, noNaN: true }),
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
        version: EXPERIMENT_VERSION,
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
        augment: { flip: r.flip, cropPad: r.cropPad, mixup: r.mixup },
        seed: r.seed,
        seeds: r.seeds,
        lossTarget: r.lossTarget,
        spectrumAt: r.spectrumAt,
        // The input cosine means something (and travels) only for Gaussian pairs.
        diagnostics: {
          bnStats: r.bnStats,
          signal: r.signal,
          inputCosine: r.signal === 'noise' ? r.inputCosine : 0,
          pairs: r.pairs,
          from: r.from,
          toStage: r.toStage,
        },
      };
    });
}

/** The smallest experiment the GPU tests train: one basic block per stage at width 8,
 * no BatchNorm, He, batch 8, 3 steps evaluated at the end on one batch, constant rate, no
 * diagnostics. `over` replaces fields; its `model` replaces model fields. */
export function tinyExperiment(
  over: Omit<Partial<ExperimentConfig>, 'model'> & { model?: Partial<ExperimentConfig['model']> } = {},
): ExperimentConfig {
  const { model, ...rest } = over;
  return {
    ...defaultExperiment(),
    schemes: [{ id: 'he' }],
    batchSize: 8,
    steps: 3,
    evalEvery: 3,
    evalBatches: 1,
    schedule: { kind: 'constant' },
    warmupSteps: 0,
    spectrumAt: [],
    ...rest,
    model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 8, skip: 'B', batchNorm: false, ...model },
  };
}
