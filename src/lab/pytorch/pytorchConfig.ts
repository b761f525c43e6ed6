// The config.json record of the PyTorch export (and its runs): what package.ts writes,
// the README generator describes and train.py reads. Types only.

import type { ScalarGroup } from '../../engine';
import type { resolveOptimizerConfig, ResNetConfig } from '../../nn';
import type { ExperimentConfig, RunModel } from '../experimentConfig';
import type { ExportDiagnostics } from './diagnosticsExport';

/** One of a run's seeds: its initial weights and the files train.py writes for it. */
export interface ExportSeed {
  /** 0-based; seed 0 is the experiment's seed, its weights are the run's `weights`. */
  index: number;
  seed: number;
  /** The run and seed made safe for file names (the run's `file` for seed 0). */
  file: string;
  weights: string;
}

export interface ExportRun {
  key: string;
  /** The run key made safe for file names. */
  file: string;
  scheme: string;
  /** The scheme's options, with the run's a_res / a_skip where the scheme has them. */
  options: Record<string, number | string>;
  /** The run's a_res / a_skip for schemes without such options (train.py --init fresh sets them after the scheme). */
  scalars: { aRes?: number; aSkip?: number };
  /** The run's own model settings as the lab's link writes them (already applied in `model`). */
  runModel: RunModel;
  label: string;
  /** The scheme's looks-linear layout (diagnostics.py reports the signal cosine). */
  looksLinear: boolean;
  model: ResNetConfig;
  /** The scalar (1-element) parameters' optimizer group, when they train differently:
   * lrScale times the learning rate, with this weight decay. */
  scalarGroup?: ScalarGroup;
  /** The initial weights of its first seed (the parity checks and diagnostics use them). */
  weights: string;
  paramCount: number;
  /** Every seed train.py trains the run with, the first one included. */
  seeds: ExportSeed[];
}

export interface PytorchConfig {
  format: 'risotto-lab-pytorch';
  formatVersion: 1;
  exportedAt: string;
  /** The lab link that reproduces the experiment in the browser, when known. */
  labUrl?: string;
  experiment: ExperimentConfig;
  dataset: { id: string; name: string; channels: number; size: number; classes: number; classNames: string[]; normalize: { mean: number[]; std: number[] }; trainCount: number; testCount: number; file?: string;
    /** train.py's --data for the public benchmark the experiment names (cifar10, cifar100, tinyimagenet). */
    standard?: string };
  runs: ExportRun[];
  /** What diagnostics.py measures on, and how. */
  diagnostics: ExportDiagnostics;
  training: Pick<ExperimentConfig, 'schedule' | 'warmupSteps' | 'batchSize' | 'steps' | 'evalEvery' | 'evalBatches' | 'augment' | 'seed' | 'seeds'> & {
    optimizer: ReturnType<typeof resolveOptimizerConfig> & { clipNorm?: number };
  };
}
