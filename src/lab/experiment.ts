// The experiment a user runs: dataset, ResNet, schemes to compare, optimizer, schedule,
// batch size, steps, augmentation, seed. One plain record, validated here, shared by the
// UI, the URL codec, the Worker and the command line. Not the runner.

import { INIT_SCHEME_IDS, isInitSchemeId, type InitOptionValues, type InitSchemeId } from '../nn/init/registry';
import { validateOptimizerConfig, type OptimizerConfig } from '../nn/optimizerConfig';
import { RESNET_PRESETS, type ResNetPresetName } from '../nn/resnetConfig';
import { validateLrSchedule, type LrSchedule } from '../nn/schedule';

export const EXPERIMENT_VERSION = 1;

export interface ModelChoice {
  /** A preset's depth/blocks, or 'custom' to use blocksPerStage. */
  preset: ResNetPresetName | 'custom';
  blocksPerStage: number[];
  width: number;
  skip: 'B' | 'C';
  batchNorm: boolean;
}

export interface SchemeChoice {
  id: InitSchemeId;
  options?: InitOptionValues;
}

export interface ExperimentConfig {
  version: number;
  /** Built-in dataset name or an upload's content hash. */
  dataset: string;
  model: ModelChoice;
  schemes: SchemeChoice[];
  optimizer: OptimizerConfig;
  schedule: LrSchedule;
  warmupSteps: number;
  batchSize: number;
  steps: number;
  /** Test-set evaluation every this many steps (and at the end). */
  evalEvery: number;
  /** Test batches per evaluation (0 = the whole test split). */
  evalBatches: number;
  augment: { flip: boolean; cropPad: number };
  seed: number;
  /** Steps at which the Jacobian spectrum is re-measured (step 0 = at init). */
  spectrumAt: number[];
}

/** Meaningful on the built-in synthetic set and small enough to train in minutes on a
 * laptop GPU: Risotto vs He vs Fixup vs SkipInit on a ResNet-8 without BatchNorm. */
export function defaultExperiment(): ExperimentConfig {
  return {
    version: EXPERIMENT_VERSION,
    dataset: 'shapes',
    model: { preset: 'resnet8', blocksPerStage: [1, 1, 1], width: 16, skip: 'B', batchNorm: false },
    schemes: [{ id: 'risotto' }, { id: 'he' }, { id: 'fixup' }, { id: 'skipinit' }],
    optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
    schedule: { kind: 'cosine', totalSteps: 1000 },
    warmupSteps: 20,
    batchSize: 64,
    steps: 1000,
    evalEvery: 100,
    evalBatches: 4,
    augment: { flip: true, cropPad: 2 },
    seed: 1,
    spectrumAt: [0],
  };
}

export function blocksOf(model: ModelChoice): number[] {
  return model.preset === 'custom' ? model.blocksPerStage : [...RESNET_PRESETS[model.preset].blocksPerStage];
}

const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Every problem, one readable sentence each; empty when the experiment can run. */
export function validateExperiment(c: ExperimentConfig): string[] {
  const e: string[] = [];
  if (c.version !== EXPERIMENT_VERSION) e.push(`experiment version ${c.version} is not supported (this lab reads version ${EXPERIMENT_VERSION})`);
  if (typeof c.dataset !== 'string' || !c.dataset) e.push('choose a dataset');
  const m = c.model;
  if (m.preset !== 'custom' && !(m.preset in RESNET_PRESETS)) e.push(`unknown model preset ${String(m.preset)}`);
  if (m.preset === 'custom' && !(Array.isArray(m.blocksPerStage) && [3, 4].includes(m.blocksPerStage.length) && m.blocksPerStage.every(posInt))) {
    e.push('a custom ResNet needs 3 or 4 stages, each with at least 1 block');
  }
  if (!posInt(m.width) || m.width > 512) e.push(`width must be an integer between 1 and 512, got ${m.width}`);
  if (m.skip !== 'B' && m.skip !== 'C') e.push(`skip must be 'B' or 'C', got ${String(m.skip)}`);
  if (!Array.isArray(c.schemes) || c.schemes.length === 0) e.push('pick at least one initialization scheme to train');
  else {
    for (const s of c.schemes) if (!isInitSchemeId(s.id)) e.push(`unknown scheme ${String(s.id)} (known: ${INIT_SCHEME_IDS.join(', ')})`);
    const ids = c.schemes.map((s) => `${s.id}:${JSON.stringify(s.options ?? {})}`);
    if (new Set(ids).size !== ids.length) e.push('the same scheme with the same options is listed twice');
  }
  e.push(...validateOptimizerConfig(c.optimizer));
  e.push(...validateLrSchedule(c.optimizer.lr, c.schedule, c.warmupSteps));
  if (!posInt(c.batchSize) || c.batchSize < 2 || c.batchSize > 4096) e.push(`batch size must be an integer from 2 to 4096, got ${c.batchSize}`);
  if (!posInt(c.steps)) e.push(`steps must be a positive integer, got ${c.steps}`);
  if (!posInt(c.evalEvery)) e.push(`evalEvery must be a positive integer, got ${c.evalEvery}`);
  if (!(Number.isInteger(c.evalBatches) && c.evalBatches >= 0)) e.push(`evalBatches must be 0 or more, got ${c.evalBatches}`);
  if (!(Number.isInteger(c.augment.cropPad) && c.augment.cropPad >= 0 && c.augment.cropPad <= 8)) e.push('crop padding must be 0 to 8 pixels');
  if (!(Number.isInteger(c.seed) && c.seed >= 0 && c.seed < 2 ** 32)) e.push(`seed must be an integer in [0, 2^32), got ${c.seed}`);
  if (!Array.isArray(c.spectrumAt) || !c.spectrumAt.every((s) => Number.isInteger(s) && s >= 0)) e.push('spectrum steps must be integers >= 0');
  return e;
}

export function assertValidExperiment(c: ExperimentConfig): void {
  const e = validateExperiment(c);
  if (e.length) throw new Error(`invalid experiment:\n- ${e.join('\n- ')}`);
}
