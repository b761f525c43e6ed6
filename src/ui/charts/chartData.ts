// Pure series shaping for the charts: EMA smoothing, min/max downsampling, aligning
// several runs on one x axis, log-axis domains, fractional epochs and CSV. No React,
// no DOM, so it is unit-tested and cheap enough to rerun on every snapshot.

/** TensorBoard-style exponential moving average, debiased so the curve starts at the
 * first value instead of climbing from zero. Non-finite values pass through untouched
 * and do not poison the average (a diverged step must not hide the rest). */
export function emaSmooth(ys: ArrayLike<number>, weight: number): Float64Array {
  const w = Math.min(0.999, Math.max(0, weight));
  const out = new Float64Array(ys.length);
  let last = 0;
  let wPow = 1; // w^n, kept as a running product: Math.pow per sample is the slow part
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * w + (1 - w) * y;
    wPow *= w;
    out[i] = w === 0 ? y : last / (1 - wPow);
  }
  return out;
}

/** One numeric field of every item, as a typed array. A plain loop: Float64Array.from
 * with a mapper goes through the iterator protocol and is several times slower on the
 * 100k-point histories this runs over on every snapshot. */
export function pluck<T>(items: readonly T[], field: (item: T) => number): Float64Array {
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = field(items[i]);
  return out;
}

/** Index of the last item with step <= `step` in items sorted by step; -1 if none. */
export function lastAtOrBefore(items: readonly { step: number }[], step: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].step <= step) [found, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  return found;
}

/** Indices (ascending) that keep the shape of `ys` in about `maxPoints` points: per
 * bucket of consecutive samples the min and the max, plus the first and last sample.
 * Non-finite samples are never chosen. At most maxPoints + 2 indices. */
export function minMaxIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length;
  if (n <= Math.max(2, maxPoints)) {
    const all: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(ys[i])) all.push(i);
    return all;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: number[] = [];
  const push = (i: number) => {
    if (i >= 0 && out[out.length - 1] !== i) out.push(i);
  };
  if (Number.isFinite(ys[0])) push(0);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) continue;
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    push(Math.min(lo, hi));
    push(Math.max(lo, hi));
  }
  if (Number.isFinite(ys[n - 1])) push(n - 1);
  return out;
}

/** One run's series to align: ascending `xs`, named value columns of the same length,
 * and the column whose extremes decide which samples survive downsampling. */
export interface AlignInput {
  xs: ArrayLike<number>;
  cols: Record<string, ArrayLike<number>>;
  pick: string;
}

export type ChartRow = { x: number } & Record<string, number | undefined>;

/** Rows on the union of every input's kept x values, each row holding every column
 * that has a sample at exactly that x. Runs share their steps, so one tooltip row
 * shows every run at the same step while each run's own extremes are still kept. */
export function alignRows(inputs: readonly AlignInput[], maxPointsPerInput: number): ChartRow[] {
  const keep = new Set<number>();
  for (const inp of inputs) {
    const pick = inp.cols[inp.pick] ?? new Float64Array(inp.xs.length);
    for (const i of minMaxIndices(pick, maxPointsPerInput)) keep.add(inp.xs[i]);
  }
  const xs = [...keep].sort((a, b) => a - b);
  const rows: ChartRow[] = xs.map((x) => ({ x }) as ChartRow);
  for (const inp of inputs) {
    const names = Object.keys(inp.cols);
    let j = 0;
    for (let r = 0; r < rows.length; r++) {
      const x = rows[r].x;
      while (j < inp.xs.length && inp.xs[j] < x) j++;
      if (j >= inp.xs.length) break;
      if (inp.xs[j] !== x) continue;
      for (const name of names) {
        const v = inp.cols[name][j];
        if (Number.isFinite(v)) rows[r][name] = v;
      }
    }
  }
  return rows;
}

/** A log axis domain on whole decades around the positive finite values (undefined
 * when there are none); a single value still gets a decade either side. */
export function logDomain(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return undefined;
  let a = Math.floor(Math.log10(lo) + 1e-9);
  let b = Math.ceil(Math.log10(hi) - 1e-9);
  if (b <= a) [a, b] = [a - 1, b + 1];
  return [10 ** a, 10 ** b];
}

/** Epoch as a fraction (2.5 = halfway through the third epoch) from the integer epoch
 * each step was drawn in; the epoch's length comes from where the next one starts, or
 * for the last epoch from the one before it. */
export function fractionalEpochs(points: readonly { step: number; epoch: number }[]): Float64Array {
  const start = new Map<number, number>();
  for (const p of points) if (!start.has(p.epoch) || p.step < start.get(p.epoch)!) start.set(p.epoch, p.step);
  const epochs = [...start.keys()].sort((a, b) => a - b);
  const length = new Map<number, number>();
  epochs.forEach((e, k) => {
    if (k + 1 < epochs.length) length.set(e, start.get(epochs[k + 1])! - start.get(e)!);
  });
  let lastLen = epochs.length > 1 ? length.get(epochs[epochs.length - 2])! : 0;
  if (!(lastLen > 0)) {
    const last = epochs[epochs.length - 1];
    lastLen = points.filter((p) => p.epoch === last).reduce((m, p) => Math.max(m, p.step), 0) - (start.get(last) ?? 0) + 1;
  }
  const out = new Float64Array(points.length);
  points.forEach((p, i) => {
    const len = length.get(p.epoch) ?? lastLen;
    out[i] = p.epoch + (len > 0 ? Math.min(1, (p.step - start.get(p.epoch)!) / len) : 0);
  });
  return out;
}

function csvCell(v: string | number | undefined | null): string {
  if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvColumn {
  /** Key in the row. */
  key: string;
  header: string;
}

/** The rows a chart shows as CSV: one line per row, one column per named key. */
export function rowsToCsv(rows: readonly Record<string, string | number | undefined>[], columns: readonly CsvColumn[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Short, readable numbers for ticks, tooltips and stats: 3 significant digits,
 * exponent form outside [1e-3, 1e5). */
export function formatNumber(v: number | undefined, digits = 3): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(Math.max(0, digits - 2)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}
