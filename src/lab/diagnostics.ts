// The diagnostics records the lab shows and exports, per run: the Jacobian spectrum
// (at init or at a training step) and signal propagation through the blocks. Plain,
// serialisable records; the measuring lives in src/analysis.

export interface SpectrumRecord {
  runKey: string;
  /** Training step the weights came from (0 = at initialisation). */
  step: number;
  /** Descending. */
  singularValues: number[];
  /** Log-spaced bins: counts[i] singular values in [edges[i], edges[i + 1]). */
  histogram: { edges: number[]; counts: number[] };
  rank: number;
  /** max |sigma - 1| over the non-zero singular values. */
  maxAbsDeviation: number;
  meanSquared: number;
  /** sigma_max / sigma_min over the non-zero singular values. */
  condition: number;
  rows: number;
  cols: number;
}

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
