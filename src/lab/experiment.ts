// The experiment a user runs: dataset, ResNet, schemes to compare, optimizer, schedule,
// batch size, steps, augmentation, seed. One plain record, validated here, shared by the
// UI, the URL codec, the Worker and the command line. Not the runner.

import { BN_STATS_MODES, type BnStatsMode } from '../analysis/bnStats';
import { INIT_SCHEME_IDS, isInitSchemeId, type InitOptionValues, type InitSchemeId } from '../nn/init/registry';
import { validateOptimizerConfig, type OptimizerConfig } from '../nn/optimizerConfig';
import { BLOCK_TYPES, RESNET_PRESETS, STEM_TYPES, blockOf, type BlockType, type ResNetPresetName, type StemType } from '../nn/resnetConfig';
import { validateLrSchedule, type LrSchedule } from '../nn/schedule';

export const EXPERIMENT_VERSION = 1;

export interface ModelChoice {
  /** A preset's depth/blocks and block type, or 'custom' to use blocksPerStage and block. */
  preset: ResNetPresetName | 'custom';
  blocksPerStage: number[];
  block: BlockType;
  stem: StemType;
  width: number;
  skip: 'B' | 'C';
  batchNorm: boolean;
}

export interface SchemeChoice {
  id: InitSchemeId;
  options?: InitOptionValues;
}

/** How the diagnostics are measured (every mode reads the same way for every scheme). */
export interface DiagnosticsChoice {
  /** BatchNorm in the diagnostics: the reference batch's statistics (the network being
   * trained) or the running statistics (the inference function). */
  bnStats: BnStatsMode;
  /** Signal propagation inputs: pairs of training images of different classes, or
   * Gaussian pairs with cosine `inputCosine`. */
  signal: 'data' | 'noise';
  inputCosine: number;
  /** K pairs. */
  pairs: number;
  /** The spectrum's map starts at the image or at the stem's output (blocks only). */
  from: 'image' | 'stem';
  /** ...and ends at the last block (0) or at the end of this stage (1-based). */
  toStage: number;
}

export const SIGNAL_SOURCES = ['data', 'noise'] as const;
export const SPECTRUM_FROM = ['image', 'stem'] as const;
export const MAX_SIGNAL_PAIRS = 32;

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
  diagnostics: DiagnosticsChoice;
}

export function defaultDiagnostics(): DiagnosticsChoice {
  return { bnStats: 'batch', signal: 'data', inputCosine: 0, pairs: 8, from: 'image', toStage: 0 };
}

/** Meaningful on the built-in synthetic set and small enough to train in minutes on a
 * laptop GPU: Risotto vs He vs Fixup vs SkipInit on a ResNet-8 without BatchNorm. */
export function defaultExperiment(): ExperimentConfig {
  return {
    version: EXPERIMENT_VERSION,
    dataset: 'shapes',
    model: { preset: 'resnet8', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 16, skip: 'B', batchNorm: false },
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
    diagnostics: defaultDiagnostics(),
  };
}

export function blocksOf(model: ModelChoice): number[] {
  return model.preset === 'custom' ? model.blocksPerStage : [...RESNET_PRESETS[model.preset].blocksPerStage];
}

export function blockTypeOf(model: ModelChoice): BlockType {
  return model.preset === 'custom' ? model.block : blockOf(RESNET_PRESETS[model.preset]);
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
  if (!BLOCK_TYPES.includes(m.block)) e.push(`block must be ${BLOCK_TYPES.join(' or ')}, got ${String(m.block)}`);
  if (!STEM_TYPES.includes(m.stem)) e.push(`stem must be ${STEM_TYPES.join(' or ')}, got ${String(m.stem)}`);
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
  e.push(...diagnosticsErrors(c.diagnostics, blocksOf(c.model).length));
  return e;
}

function diagnosticsErrors(d: DiagnosticsChoice | undefined, stages: number): string[] {
  if (!d || typeof d !== 'object') return ['the experiment has no diagnostics settings'];
  const e: string[] = [];
  if (!BN_STATS_MODES.includes(d.bnStats)) e.push(`BatchNorm statistics for diagnostics must be ${BN_STATS_MODES.join(' or ')}, got ${String(d.bnStats)}`);
  if (!SIGNAL_SOURCES.includes(d.signal)) e.push(`signal inputs must be ${SIGNAL_SOURCES.join(' or ')}, got ${String(d.signal)}`);
  if (!(typeof d.inputCosine === 'number' && d.inputCosine >= -1 && d.inputCosine <= 1)) e.push(`input cosine must be between -1 and 1, got ${String(d.inputCosine)}`);
  if (!(Number.isInteger(d.pairs) && d.pairs >= 1 && d.pairs <= MAX_SIGNAL_PAIRS)) e.push(`signal pairs must be an integer from 1 to ${MAX_SIGNAL_PAIRS}, got ${String(d.pairs)}`);
  if (!SPECTRUM_FROM.includes(d.from)) e.push(`the spectrum starts at ${SPECTRUM_FROM.join(' or ')}, got ${String(d.from)}`);
  if (!(Number.isInteger(d.toStage) && d.toStage >= 0 && d.toStage <= stages)) e.push(`the spectrum's end stage must be 0 (last block) to ${stages}, got ${String(d.toStage)}`);
  return e;
}

export function assertValidExperiment(c: ExperimentConfig): void {
  const e = validateExperiment(c);
  if (e.length) throw new Error(`invalid experiment:\n- ${e.join('\n- ')}`);
}
