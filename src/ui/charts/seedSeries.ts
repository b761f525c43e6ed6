// Runs repeated over seeds, as the charts draw them: per run one curve of the mean over
// its seeds with a min-max band, or every seed's own curve. Pure, so it is unit-tested.
import type { EvalPoint, RunState, TrainPoint } from '../../lab';
import { groupBySeed } from '../../lab';

export type SeedView = 'mean' | 'every';

/** Per x (the union of the series' xs, ascending) the mean, min and max over the series
 * with a finite value there. */
export function acrossSeeds(series: readonly { xs: ArrayLike<number>; ys: ArrayLike<number> }[]): {
  xs: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
} {
  const at = new Map<number, number[]>();
  for (const { xs, ys } of series)
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(ys[i])) continue;
      const list = at.get(xs[i]) ?? [];
      list.push(ys[i]);
      at.set(xs[i], list);
    }
  const xs = Float64Array.from([...at.keys()].sort((a, b) => a - b));
  const mean = new Float64Array(xs.length);
  const min = new Float64Array(xs.length);
  const max = new Float64Array(xs.length);
  xs.forEach((x, i) => {
    const v = at.get(x)!;
    mean[i] = v.reduce((a, b) => a + b, 0) / v.length;
    min[i] = Math.min(...v);
    max[i] = Math.max(...v);
  });
  return { xs, mean, min, max };
}

function meanPoints<T extends { step: number }>(seeds: readonly (readonly T[])[], fields: readonly (keyof T)[]): T[] {
  const byStep = new Map<number, T[]>();
  for (const points of seeds) for (const p of points) byStep.set(p.step, [...(byStep.get(p.step) ?? []), p]);
  return [...byStep.keys()]
    .sort((a, b) => a - b)
    .map((step) => {
      const ps = byStep.get(step)!;
      const out = { ...ps[0] };
      for (const f of fields) {
        const v = ps.map((p) => p[f] as number).filter(Number.isFinite);
        (out[f] as number) = v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
      }
      return out;
    });
}

/** A run over its seeds as one record: its key, label and status those of its first seed,
 * every logged step's values the mean over the seeds that have it. */
function meanRun(seeds: readonly RunState[], key: string): RunState {
  return {
    ...seeds[0],
    key,
    train: meanPoints<TrainPoint>(
      seeds.map((r) => r.train),
      ['loss', 'acc', 'lr', 'gradNorm'],
    ),
    test: meanPoints<EvalPoint>(
      seeds.map((r) => r.test),
      ['loss', 'acc'],
    ),
    divergedAt: seeds.find((r) => r.divergedAt !== undefined)?.divergedAt,
  };
}

export interface SeedCurves {
  /** What the loss and accuracy charts draw: per run its mean over seeds, or every seed. */
  runs: RunState[];
  /** For the mean view, each run (by key) that has several seeds: its seeds, for the band. */
  seeds: ReadonlyMap<string, readonly RunState[]>;
}

export function seedCurves(runs: readonly RunState[], view: SeedView): SeedCurves {
  const groups = groupBySeed(runs);
  if (view === 'every') return { runs: [...runs], seeds: new Map() };
  return {
    runs: groups.map((g) => (g.seeds.length > 1 ? meanRun(g.seeds, g.key) : g.seeds[0])),
    seeds: new Map(groups.filter((g) => g.seeds.length > 1).map((g) => [g.key, g.seeds])),
  };
}

/** Chart rows with, per run i that has columns lo<i> and hi<i>, the pair [lo, hi] under
 * band<i>, the range a recharts Area draws. */
export function withBands<R extends { x: number }>(rows: readonly R[], runs: number): (R & Record<string, [number, number]>)[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (let i = 0; i < runs; i++) {
      const [lo, hi] = [out[`lo${i}`], out[`hi${i}`]];
      if (typeof lo === 'number' && typeof hi === 'number') out[`band${i}`] = [lo, hi];
    }
    return out as R & Record<string, [number, number]>;
  });
}
