// Results leave the lab as CSV (one row per logged step, run and seed, test metrics
// joined on the step), a summary CSV (per run mean ± std over its seeds) and JSON
// (config, every run's history per seed, and that summary). Pure functions over snapshots.

import type { ExperimentConfig } from './experimentConfig';
import type { ComparisonSnapshot, RunProfile, RunState } from './runState';
import { PROFILE_CSV_COLUMNS, profileCells } from '../engine';
import { historyCells, historyHeader } from './historyCsv';
import { runKeyOf } from './seeds';
import { summarizeRuns, type MeanStd } from './seedStats';

export const CSV_COLUMNS = [
  'run',
  'seed',
  'scheme',
  'status',
  'step',
  'epoch',
  'lr',
  'train_loss',
  'train_acc',
  'grad_norm',
  'test_loss',
  'test_acc',
] as const;

function csvCell(v: string | number | undefined): string {
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `run` is the run's key (the same for each of its seeds), `seed` the seed it trained with. */
export function runsToCsv(runs: readonly RunState[]): string {
  const extra = historyHeader(runs);
  const lines = [[...CSV_COLUMNS, ...extra].join(',')];
  for (const r of runs) {
    const test = new Map(r.test.map((t) => [t.step, t]));
    const run = runKeyOf(r.key);
    const train = new Map(r.train.map((p) => [p.step, p]));
    const history = historyCells(r, extra);
    const steps = [...new Set([...train.keys(), ...history.keys()])].sort((a, b) => a - b);
    for (const step of steps) {
      const p = train.get(step);
      const t = test.get(step);
      (history.get(step) ?? [[]]).forEach((cells, k) => {
        const own = k === 0 && p ? [p.epoch, p.lr, p.loss, p.acc, p.gradNorm, t?.loss, t?.acc] : new Array(7).fill(undefined);
        const tail = extra.map((_, i) => cells[i]);
        lines.push([run, r.seed, r.scheme.id, r.status, step, ...own, ...tail].map(csvCell).join(','));
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One run over its seeds, as the export writes it (NaN: no value; std needs 2 seeds). */
export interface SeedSummary {
  run: string;
  label: string;
  scheme: string;
  /** The seeds it trained with. */
  seeds: (number | undefined)[];
  finalLoss: MeanStd;
  bestTestAcc: MeanStd;
  /** Over the seeds that reached the target loss; n of them did. */
  stepsToTarget: MeanStd;
  lossTarget: number;
}

export function seedSummaries(runs: readonly RunState[], lossTarget: number): SeedSummary[] {
  return summarizeRuns(runs, lossTarget).map((s) => ({
    run: s.key,
    label: s.label,
    scheme: s.schemeId,
    seeds: s.seeds.map((r) => r.seed),
    finalLoss: s.finalLoss,
    bestTestAcc: s.bestTestAcc,
    stepsToTarget: s.stepsToTarget,
    lossTarget,
  }));
}

const SUMMARY_COLUMNS = [
  'run',
  'label',
  'scheme',
  'seeds',
  'final_loss_mean',
  'final_loss_std',
  'best_test_acc_mean',
  'best_test_acc_std',
  'steps_to_target_mean',
  'steps_to_target_std',
  'seeds_reaching_target',
  'target_loss',
] as const;

/** One row per run: mean and sample std over its seeds (std empty for one seed). */
export function summaryToCsv(runs: readonly RunState[], lossTarget: number): string {
  const lines = [SUMMARY_COLUMNS.join(',')];
  for (const s of seedSummaries(runs, lossTarget)) {
    const { finalLoss: l, bestTestAcc: a, stepsToTarget: t } = s;
    lines.push(
      [s.run, s.label, s.scheme, s.seeds.length, l.mean, l.std, a.mean, a.std, t.mean, t.std, t.n, lossTarget].map(csvCell).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface ExperimentExport {
  format: 'risotto-lab-experiment';
  formatVersion: 1;
  exportedAt: string;
  experiment: ExperimentConfig;
  summary: Omit<ComparisonSnapshot, 'runs'>;
  /** Per run over its seeds (NaN is written as null). */
  seedSummary: SeedSummary[];
  runs: RunState[];
}

export function toExportJson(experiment: ExperimentConfig, snapshot: ComparisonSnapshot, now = new Date()): ExperimentExport {
  const { runs, ...summary } = snapshot;
  return {
    format: 'risotto-lab-experiment',
    formatVersion: 1,
    exportedAt: now.toISOString(),
    experiment,
    summary,
    seedSummary: seedSummaries(runs, experiment.lossTarget),
    runs,
  };
}

/** Every run's latest GPU profile as CSV: one row per run and kernel kind. */
export function profilesToCsv(profiles: readonly RunProfile[]): string {
  const lines = [['run', 'step', ...PROFILE_CSV_COLUMNS].join(',')];
  for (const p of profiles) for (const k of p.kernels) lines.push([p.runKey, String(p.step), ...profileCells(k)].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
