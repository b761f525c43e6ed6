// The experiment's shape: the plain record a user runs (dataset, ResNet, schemes,
// optimizer, schedule, diagnostics...) and the constants its fields choose from. Types
// only; the field table (defaults, ranges, labels) is experimentFields.ts.

import type { BnStatsMode } from '../analysis';
import type { InitOptionValues, InitSchemeId, OptimizerConfig, BlockType, ResNetPresetName, StemType, LrSchedule } from '../nn';

/** 2: runs carry their own model settings (init=risotto,he[bn:1]). */
export const EXPERIMENT_VERSION = 2;
/** Versions whose records this lab reads as they are (a version-1 record is a version-2
 * one whose runs have no settings of their own). */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

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

/** A run's own model settings, over the experiment's model (runModel.ts has their table). */
export interface RunModel {
  batchNorm?: boolean;
  skip?: 'B' | 'C';
  /** Initial a_res / a_skip of every block. */
  aRes?: number;
  aSkip?: number;
  /** a_res / a_skip are trained (else constants). */
  learnRes?: boolean;
  learnSkip?: boolean;
  blocksPerStage?: number[];
}

/** One run of a comparison: a scheme with its options, and the run's model settings. */
export interface SchemeChoice {
  id: InitSchemeId;
  options?: InitOptionValues;
  model?: RunModel;
}

export type RunChoice = SchemeChoice;

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
  /** mixup: alpha of Beta(alpha, alpha) for mixing each training batch; 0 or absent
   * (records saved before it existed): off. */
  augment: { flip: boolean; cropPad: number; mixup?: number };
  seed: number;
  /** K: every run is trained with seeds seed, seed + 1, ..., seed + K - 1 (seeds.ts). */
  seeds: number;
  /** Steps to this training loss are reported per run (seedStats.ts). */
  lossTarget: number;
  /** Steps at which the Jacobian spectrum is re-measured (step 0 = at init). */
  spectrumAt: number[];
  diagnostics: DiagnosticsChoice;
  /** The PyTorch export's full-size run (`train.py --full`): base width and epochs, where
   * the lab trains a smaller model for fewer steps (the paper presets). */
  fullWidth?: number;
  fullEpochs?: number;
}
