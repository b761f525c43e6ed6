// A run repeated over seeds as the runs table shows it: every cell the mean ± sample std
// over its seeds, its statuses and messages per seed; and the cells every run gets
// (seeds, best test accuracy, steps to the target loss). Pure, so the rules are tested.
import type { MeanStd, RunSummary } from '../../lab';
import { meanStd } from '../../lab';
import { formatCompact, formatPercent } from './format';
import { isLive, runRow, type RunRowView } from './runRow';

/** `0.431 ± 0.052`; one value alone; `–` for none. */
function formatMeanStd(m: MeanStd, format: (v: number) => string): string {
  if (m.n === 0) return '–';
  return Number.isFinite(m.std) ? `${format(m.mean)} ± ${format(m.std)}` : format(m.mean);
}

export interface SummaryCells {
  seeds: string;
  bestTestAcc: string;
  /** Mean ± std over the seeds that reached it, and how many did when not all. */
  toTarget: string;
}

export function summaryCells(s: RunSummary): SummaryCells {
  const k = s.seeds.length;
  const reached = s.stepsToTarget.n;
  const steps = formatMeanStd(s.stepsToTarget, (v) => formatCompact(v));
  return {
    seeds: String(k),
    bestTestAcc: formatMeanStd(s.bestTestAcc, formatPercent),
    toTarget: reached === 0 ? 'not reached' : reached < k ? `${steps} (${reached} of ${k} seeds)` : steps,
  };
}

/** Statuses that differ are listed: "finished ×2", "finished, diverged". */
function statusOf(rows: readonly RunRowView[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  if (counts.size === 1) return rows[0].status;
  return [...counts].map(([s, n]) => (n > 1 ? `${s} ×${n}` : s)).join(', ');
}

/** One row for a run over several seeds (one seed: the run's own row). */
export function seedsRow(s: RunSummary, stepsPerSecond: number, liveRuns: number): RunRowView {
  const rows = s.seeds.map((r) => runRow(r, stepsPerSecond, liveRuns));
  if (rows.length === 1) return rows[0];
  const seedNo = (i: number) => `seed ${(s.seeds[i].seedIndex ?? i) + 1}`;
  const last = (f: (r: (typeof s.seeds)[number]) => number | undefined) => meanStd(s.seeds.map((r) => f(r) ?? Number.NaN));
  return {
    key: s.key,
    schemeId: s.schemeId,
    label: s.label,
    status: statusOf(rows),
    step: String(Math.max(...s.seeds.map((r) => r.step))),
    loss: formatMeanStd(
      last((r) => r.train.at(-1)?.loss),
      (v) => formatCompact(v),
    ),
    trainAcc: formatMeanStd(
      last((r) => r.train.at(-1)?.acc),
      formatPercent,
    ),
    testAcc: formatMeanStd(
      last((r) => r.test.at(-1)?.acc),
      formatPercent,
    ),
    stepTime: s.seeds.some(isLive) ? rows.find((_, i) => isLive(s.seeds[i]))!.stepTime : '–',
    divergedAt: rows.every((r) => r.divergedAt === '–')
      ? '–'
      : rows.flatMap((r, i) => (r.divergedAt === '–' ? [] : [`${r.divergedAt} (${seedNo(i)})`])).join(', '),
    message: rows.flatMap((r, i) => (r.message ? [`${seedNo(i)}: ${r.message}`] : [])).join('; '),
    ...(rows[0].source && { source: rows[0].source }),
  };
}
