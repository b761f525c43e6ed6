// Pure shaping of the diagnostics for charts: one set of log-spaced bins shared by all
// runs' singular values (so the histograms overlay), and per-parameter gradient norms
// grouped by block. Not the measuring (src/analysis does that).

import { blockOf, compareBlocks } from '../../lab';

export interface SharedHistogram {
  /** Ascending, bins + 1 log-spaced edges. */
  edges: number[];
  /** Per input list, counts per bin. */
  counts: number[][];
}

/** Histograms of several lists of positive values on the same log-spaced bins,
 * at least a decade wide so a perfect isometry (every value 1) is one central bar. */
export function sharedLogHistogram(lists: readonly (readonly number[])[], bins = 40): SharedHistogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lists) for (const v of l) if (v > 0 && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo > hi) [lo, hi] = [0.1, 10];
  let [a, b] = [Math.log10(lo), Math.log10(hi)];
  if (b - a < 1) [a, b] = [(a + b) / 2 - 0.5, (a + b) / 2 + 0.5];
  const edges = Array.from({ length: bins + 1 }, (_, i) => 10 ** (a + ((b - a) * i) / bins));
  const counts = lists.map((l) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of l) {
      if (!(v > 0) || !Number.isFinite(v)) continue;
      c[Math.min(bins - 1, Math.max(0, Math.floor(((Math.log10(v) - a) / (b - a)) * bins)))]++;
    }
    return c;
  });
  return { edges, counts };
}

export interface GradGroup {
  /** "stem", "stage1.block0", ..., "head", or the name's first segment. */
  group: string;
  /** sqrt of the sum of squares of the group's parameter norms. */
  norm: number;
}

/** Parameter gradient norms combined per block, in network order (stem, stages and
 * blocks numerically, head, then anything else alphabetically). */
export function groupGradNorms(names: readonly string[], values: readonly number[]): GradGroup[] {
  const sums = new Map<string, number>();
  names.forEach((name, i) => {
    const g = blockOf(name);
    const v = values[i];
    sums.set(g, (sums.get(g) ?? 0) + v * v);
  });
  return [...sums.entries()].sort(([a], [b]) => compareBlocks(a, b)).map(([group, sumSq]) => ({ group, norm: Math.sqrt(sumSq) }));
}

/** The union of groups over runs, in network order, for one shared category axis. */
export function unionGroups(perRun: readonly GradGroup[][]): string[] {
  const seen = new Set<string>();
  for (const groups of perRun) for (const g of groups) seen.add(g.group);
  return groupGradNorms(
    [...seen],
    [...seen].map(() => 0),
  ).map((g) => g.group);
}

/** Each run's record for the chosen BatchNorm mode, in run order then any others: a run
 * without BatchNorm has one record (both modes agree), which serves either choice. */
export function recordsForMode<T extends { runKey: string; bnStats: string; batchNorm: boolean }>(
  records: readonly T[],
  mode: string,
  runOrder: readonly string[],
): T[] {
  const byRun = new Map<string, T>();
  for (const r of records) {
    if (r.bnStats !== mode && r.batchNorm) continue;
    const have = byRun.get(r.runKey);
    if (!have || r.bnStats === mode) byRun.set(r.runKey, r);
  }
  const known = runOrder.filter((k) => byRun.has(k)).map((k) => byRun.get(k)!);
  const extra = [...byRun.keys()].filter((k) => !runOrder.includes(k)).map((k) => byRun.get(k)!);
  return [...known, ...extra];
}
