// The diagnostics records the lab shows and exports, per run: the Jacobian spectrum
// (at init or at a training step) and signal propagation through the blocks. Plain,
// serialisable records; the measuring lives in src/analysis.

import type { SpectrumStats } from '../analysis/spectrum';

/** SpectrumStats of src/analysis with plain arrays (it crosses the Worker boundary and
 * goes into JSON exports), for one run at one step. */
export type SpectrumRecord = Omit<SpectrumStats, 'singularValues' | 'histogram'> & {
  runKey: string;
  /** Training step the weights came from (0 = at initialisation). */
  step: number;
  /** Descending. */
  singularValues: number[];
  /** Log-spaced bins: counts[i] singular values in [edges[i], edges[i + 1]). */
  histogram: { edges: number[]; counts: number[] };
};

export interface SignalBlock {
  block: number;
  label: string;
  normA: number;
  normB: number;
  cosine: number;
}

export interface SignalRecord {
  runKey: string;
  step: number;
  inputCosine: number;
  blocks: SignalBlock[];
}
