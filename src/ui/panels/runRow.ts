// One run of a snapshot as the runs table shows it: every cell already text. Pure, so
// the formatting rules (what "–" means, how step time is shared) are tested.
import { isExternalRun } from '../../lab';
import type { RunState } from '../../lab';
import { formatCompact, formatPercent, formatStepMs } from './format';

export interface RunRowView {
  key: string;
  schemeId: string;
  label: string;
  status: string;
  step: string;
  loss: string;
  trainAcc: string;
  testAcc: string;
  stepTime: string;
  divergedAt: string;
  message: string;
  /** Set for a run imported from outside the lab: where it ran and its file. */
  source?: string;
}

/** Runs that still take steps; the comparison steps them all each round. */
export const isLive = (r: RunState): boolean => r.status === 'running' || r.status === 'paused';

/** The comparison advances every live run once per step, so one run's share of a step
 * is the step time over the live runs. */
export function runRow(run: RunState, stepsPerSecond: number, liveRuns: number): RunRowView {
  const lastTrain = run.train.at(-1);
  const lastTest = run.test.at(-1);
  return {
    key: run.key,
    schemeId: run.scheme.id,
    label: run.label,
    status: run.status,
    step: String(run.step),
    loss: formatCompact(lastTrain?.loss),
    trainAcc: formatPercent(lastTrain?.acc),
    testAcc: formatPercent(lastTest?.acc),
    stepTime: isLive(run) ? formatStepMs(stepsPerSecond, Math.max(1, liveRuns)) : '–',
    divergedAt: run.divergedAt === undefined ? '–' : String(run.divergedAt),
    message: run.message ?? '',
    ...(isExternalRun(run) && { source: `${run.external.tool}, ${run.external.file}` }),
  };
}
