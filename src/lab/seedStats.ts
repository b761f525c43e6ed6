// Per run, over its seeds: mean and sample standard deviation of the final training loss,
// the best test accuracy and the steps to the experiment's target loss, as the runs
// table and the results export give them. Pure functions over run records.

import type { RunState, TrainPoint } from './runState';
import { runKeyOf } from './seeds';

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n - 1); NaN for fewer than 2 values. */
  std: number;
  /** Values it is over (the non-finite ones left out). */
  n: number;
}

/** Mean and sample std of the finite values; mean NaN when there are none. */
export function meanStd(values: readonly number[]): MeanStd {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}

/** The first logged step whose training loss (of its batch, unsmoothed) is at or below
 * `target`; undefined when none is. */
export function stepsToTarget(train: readonly TrainPoint[], target: number): number | undefined {
  return train.find((p) => p.loss <= target)?.step;
}

export interface RunSummary {
  /** The run's key (without a seed). */
  key: string;
  label: string;
  schemeId: string;
  /** Its records, one per seed, in seed order. */
  seeds: RunState[];
  finalLoss: MeanStd;
  bestTestAcc: MeanStd;
  /** Over the seeds that reached the target; `n` of `seeds.length` did. */
  stepsToTarget: MeanStd;
  target: number;
}

/** The records of each run (its seeds), in the order the runs first appear. */
export function groupBySeed<T extends RunState>(runs: readonly T[]): { key: string; seeds: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const r of runs) {
    const key = runKeyOf(r.key);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].map(([key, seeds]) => ({ key, seeds }));
}

export function summarizeRuns(runs: readonly RunState[], target: number): RunSummary[] {
  return groupBySeed(runs).map(({ key, seeds }) => ({
    key,
    label: seeds[0].label,
    schemeId: seeds[0].scheme.id,
    seeds,
    finalLoss: meanStd(seeds.map((r) => r.train.at(-1)?.loss ?? Number.NaN)),
    bestTestAcc: meanStd(seeds.map((r) => (r.test.length ? Math.max(...r.test.map((p) => p.acc)) : Number.NaN))),
    stepsToTarget: meanStd(seeds.map((r) => stepsToTarget(r.train, target) ?? Number.NaN)),
    target,
  }));
}
