// Results leave the lab as CSV (one row per logged step and run, test metrics joined on
// the step) and JSON (config + every run's history). Pure functions over snapshots.

import type { ExperimentConfig } from './experiment';
import type { ComparisonSnapshot, RunState } from './runState';
import { historyCells, historyHeader } from './historyCsv';

export const CSV_COLUMNS = [
  'run',
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

/** One row per run and step (see historyCsv.ts for the history columns after CSV_COLUMNS). */
export function runsToCsv(runs: readonly RunState[]): string {
  const extra = historyHeader(runs);
  const lines = [[...CSV_COLUMNS, ...extra].join(',')];
  for (const r of runs) {
    const test = new Map(r.test.map((t) => [t.step, t]));
    const train = new Map(r.train.map((p) => [p.step, p]));
    const history = historyCells(r, extra);
    const steps = [...new Set([...train.keys(), ...history.keys()])].sort((a, b) => a - b);
    for (const step of steps) {
      const p = train.get(step);
      const t = test.get(step);
      (history.get(step) ?? [[]]).forEach((cells, k) => {
        const own = k === 0 && p ? [p.epoch, p.lr, p.loss, p.acc, p.gradNorm, t?.loss, t?.acc] : new Array(7).fill(undefined);
        const tail = extra.map((_, i) => cells[i]);
        lines.push([r.key, r.scheme.id, r.status, step, ...own, ...tail].map(csvCell).join(','));
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ExperimentExport {
  format: 'risotto-lab-experiment';
  formatVersion: 1;
  exportedAt: string;
  experiment: ExperimentConfig;
  summary: Omit<ComparisonSnapshot, 'runs'>;
  runs: RunState[];
}

export function toExportJson(experiment: ExperimentConfig, snapshot: ComparisonSnapshot, now = new Date()): ExperimentExport {
  const { runs, ...summary } = snapshot;
  return { format: 'risotto-lab-experiment', formatVersion: 1, exportedAt: now.toISOString(), experiment, summary, runs };
}
