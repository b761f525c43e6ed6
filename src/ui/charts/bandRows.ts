// Chart rows for values measured per layer with a min-max band (signal propagation,
// branch balance): one row per x, per series `${prefix}${i}` the mean and
// `${prefix}${i}band` the [min, max] pair recharts draws as a range area.

import type { Band } from '../../lab';

export type BandRow = { x: number } & Record<string, number | [number, number] | undefined>;

export interface BandSeries {
  prefix: string;
  /** Per run: x and its band (undefined where the run has no such value). */
  points: readonly (readonly { x: number; band?: Band }[])[];
}

export function bandRows(series: readonly BandSeries[]): BandRow[] {
  const rows = new Map<number, BandRow>();
  for (const { prefix, points } of series) {
    points.forEach((run, i) => {
      for (const { x, band } of run) {
        if (!band || !Number.isFinite(band.mean)) continue;
        const row = rows.get(x) ?? { x };
        row[`${prefix}${i}`] = band.mean;
        row[`${prefix}${i}band`] = [band.min, band.max];
        rows.set(x, row);
      }
    });
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}
