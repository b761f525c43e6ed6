// What the lab reports about each run and the whole comparison: plain, serialisable
// records (they cross the Worker boundary and go into exports).

import type { KernelKindTime } from '../engine';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { SchemeChoice } from './experimentConfig';
import type { RunHistory } from './runHistory';
import { runModelEntries } from './runModel';

export type RunStatus = 'pending' | 'compiling' | 'running' | 'paused' | 'finished' | 'stopped' | 'diverged' | 'failed';

export interface TrainPoint {
  step: number;
  epoch: number;
  loss: number;
  /** Accuracy on the training batch. */
  acc: number;
  lr: number;
  gradNorm: number;
}

export interface EvalPoint {
  step: number;
  loss: number;
  acc: number;
}

export interface RunState {
  /** Stable id within the experiment: the run's key (scheme id + options + own model
   * settings), with `@seed2`... for its repetitions with later seeds (seeds.ts). */
  key: string;
  /** Which of the experiment's seeds this is (0-based; absent in older records: 0). */
  seedIndex?: number;
  /** The seed it trained with (absent in older records: the experiment's). */
  seed?: number;
  scheme: SchemeChoice;
  label: string;
  status: RunStatus;
  /** Why the run failed or diverged, in words. */
  message?: string;
  divergedAt?: number;
  step: number;
  paramCount: number;
  train: TrainPoint[];
  test: EvalPoint[];
  /** Per-parameter gradient norms of the latest read step, by parameter name. */
  gradNorms?: { names: string[]; values: number[] };
  /** Per-block gradient norms, learnable scalars and diagnostic numbers over the steps. */
  history?: RunHistory;
}

/** Where one run's step went on the GPU (timestamp queries), per kernel kind. */
export interface RunProfile {
  runKey: string;
  label: string;
  step: number;
  kernels: KernelKindTime[];
}

export type ComparisonPhase = 'idle' | 'compiling' | 'running' | 'paused' | 'finished' | 'stopped';

/** How the comparison's kernels were chosen: fixed defaults (tuning off), or tuned per
 * shape on this adapter, `timed` of the `shapes` distinct (kind, shape) ops with
 * variants timed now and the rest taken from the choices kept in this browser (or
 * file) or from an earlier compile. */
export interface KernelChoiceSummary {
  tuning: boolean;
  shapes: number;
  timed: number;
}

export interface ComparisonSnapshot {
  phase: ComparisonPhase;
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  imagesPerSecond: number;
  etaSeconds: number;
  compileMs: number;
  /** What the lab is doing before or between steps, in words ("compiling pipelines
   * 12/28 (He)", "measuring spectrum: He 2/4", "first step"); absent while training. */
  activity?: string;
  gpuBytesInUse: number;
  /** Steps whose checkpoint training resumed from after the GPU device was lost. */
  recoveredAt: number[];
  /** Every spectrum measured so far (at init and at chosen steps), oldest first. */
  spectra: SpectrumRecord[];
  signals: SignalRecord[];
  /** The latest GPU profile of each run that was profiled (requestProfile). */
  profiles?: RunProfile[];
  /** Set once the runs are compiled (absent in records saved before it existed). */
  kernels?: KernelChoiceSummary;
  /** Problems that did not stop training (e.g. a diagnostic that could not be measured). */
  warnings: string[];
  runs: RunState[];
}

/** `risotto`, `risotto(aRes=0.5)`, `he[bn=1,lres=1]`: the scheme, its options and the run's own model settings. */
export function runKey(s: SchemeChoice): string {
  const opts =
    s.options && Object.keys(s.options).length
      ? `(${Object.entries(s.options)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')})`
      : '';
  const own = runModelEntries(s.model).map(([f, v]) => `${f.key}=${f.type.format(v as never).replace(/,/g, '/')}`);
  return `${s.id}${opts}${own.length ? `[${own.join(',')}]` : ''}`;
}
