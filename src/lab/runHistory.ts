// A run's training history beyond loss and accuracy: per-block gradient norms at the
// logged steps (the heat map), the learnable a_res / a_skip at every metrics read, and
// the diagnostics' summary numbers at the diagnostic steps. Plain, serialisable records
// with bounded memory; the recording is here, the reading back in historyJson/historyCsv.

import type { SignalRecord, SpectrumRecord } from './diagnostics';

/** Columns kept of the per-block gradient norms, and of the scalar trajectories. */
export const HISTORY_CAPACITY = { gradNorms: 256, scalars: 512 } as const;

/** Rows at evenly spaced logged steps. Rule: the n-th step offered (n = 0, 1, ...) is
 * kept when n is a multiple of `stride`; when `capacity` rows are held, every second row
 * is dropped and the stride doubles. So memory stays bounded and the kept steps always
 * cover the whole run evenly (every stride-th logged step from the first). */
export interface KeptSeries {
  stride: number;
  /** Steps offered so far (kept or not). */
  seen: number;
  /** Ascending. */
  steps: number[];
  /** rows[j][i]: series i (a block, a scalar) at steps[j]. */
  rows: number[][];
}

/** The diagnostics of one run at one step in one BatchNorm mode, reduced to numbers. */
export interface DiagnosticPoint {
  step: number;
  bnStats: 'batch' | 'running';
  sigmaMax: number;
  /** The smallest non-zero singular value. */
  sigmaMin: number;
  maxAbsDev: number;
  rank: number;
  /** Mean over blocks of |a_res F(x)| / |a_skip S(x)|. */
  balance: number;
  /** The last block's mean square per unit and cosine of the two inputs. */
  lastQ: number;
  lastCosine: number;
}

export interface RunHistory {
  /** The rows of `gradNorms` in network order: stem, stage1.block0, ..., head. */
  blocks: string[];
  gradNorms: KeptSeries;
  /** The learnable a_res / a_skip ("stage1.block0.aRes"), the rows of `scalars`. */
  scalarNames: string[];
  scalars: KeptSeries;
  diagnostics: DiagnosticPoint[];
}

export function emptySeries(): KeptSeries {
  return { stride: 1, seen: 0, steps: [], rows: [] };
}

export function emptyHistory(blocks: string[], scalarNames: string[]): RunHistory {
  return { blocks, gradNorms: emptySeries(), scalarNames, scalars: emptySeries(), diagnostics: [] };
}

/** Offers one logged step to the series (see KeptSeries for what is kept). */
export function keepStep(s: KeptSeries, step: number, row: number[], capacity: number): void {
  if (s.steps.length > 0 && step <= s.steps[s.steps.length - 1]) return; // a repeated read
  const n = s.seen++;
  if (n % s.stride !== 0) return;
  s.steps.push(step);
  s.rows.push(row);
  if (s.steps.length >= capacity) {
    s.steps = s.steps.filter((_, j) => j % 2 === 0);
    s.rows = s.rows.filter((_, j) => j % 2 === 0);
    s.stride *= 2;
  }
}

/** Per-block norms from per-parameter norms: sqrt of the sum of squares within a block. */
export function blockNorms(paramNorms: ArrayLike<number>, blockOfParam: readonly number[], blocks: number): number[] {
  const sq = new Array<number>(blocks).fill(0);
  blockOfParam.forEach((b, i) => (sq[b] += paramNorms[i] * paramNorms[i]));
  return sq.map(Math.sqrt);
}

/** The summary numbers of one measurement (spectrum and signal of the same run, step
 * and mode), added to the history unless that step and mode are there already. */
export function keepDiagnostics(h: RunHistory, sp: SpectrumRecord, sig: SignalRecord): void {
  if (h.diagnostics.some((d) => d.step === sp.step && d.bnStats === sp.bnStats)) return;
  const nonZero = sp.singularValues.slice(0, sp.rank);
  const last = sig.layers[sig.layers.length - 1];
  const balance = sig.balance.length ? sig.balance.reduce((a, b) => a + b.ratio.mean, 0) / sig.balance.length : Number.NaN;
  h.diagnostics.push({
    step: sp.step,
    bnStats: sp.bnStats,
    sigmaMax: sp.singularValues[0] ?? Number.NaN,
    sigmaMin: nonZero.length ? nonZero[nonZero.length - 1] : Number.NaN,
    maxAbsDev: sp.maxAbsDeviation,
    rank: sp.rank,
    balance,
    lastQ: last?.q.mean ?? Number.NaN,
    lastCosine: last?.cosine.mean ?? Number.NaN,
  });
  h.diagnostics.sort((a, b) => a.step - b.step);
}
