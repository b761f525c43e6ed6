// The diagnostics records the lab shows and exports, per run: the Jacobian spectrum
// with its reach map, signal propagation and branch balance, each at one step and in
// one BatchNorm mode. Plain, serialisable records; the measuring lives in src/analysis.

import type { BnStatsMode, Band, BlockBalance, LayerSignal, DeltaRank, SpectrumFrom, SpectrumStats } from '../analysis';

// What the UI needs of the analysis types (it may not import src/analysis).
export type { Band, BnStatsMode };

interface RecordBase {
  runKey: string;
  /** Training step the weights came from (0 = at initialisation). */
  step: number;
  /** How BatchNorm layers normalised during the measurement. */
  bnStats: BnStatsMode;
  /** Whether the run's network has BatchNorm at all (without it both modes agree). */
  batchNorm: boolean;
}

/** SpectrumStats of src/analysis with plain arrays (it crosses the Worker boundary and
 * goes into JSON exports), for one run at one step. */
export type SpectrumRecord = Omit<SpectrumStats, 'singularValues' | 'histogram'> &
  RecordBase & {
    /** Descending; the last `zeros` are numerically zero (not drawn). */
    singularValues: number[];
    /** Log-spaced bins over the non-zero values: counts[i] in [edges[i], edges[i + 1]). */
    histogram: { edges: number[]; counts: number[] };
    probeSize: number;
    from: SpectrumFrom;
    /** 'features' (the last block) or 'stage N'. */
    target: string;
    /** reachSize x reachSize column norms of J, row-major. */
    reach: number[];
    reachSize: number;
    /** The rank delta kernels allow (channels x target pixels), when every conv is one. */
    deltaRank?: DeltaRank;
  };

export interface SignalRecord extends RecordBase {
  /** 'data': pairs of training images of different classes; 'noise': Gaussian pairs. */
  source: 'data' | 'noise';
  pairs: number;
  inputCosine: Band;
  /** The stem, then every block. */
  layers: LayerSignal[];
  balance: BlockBalance[];
}

/** Records saved before the diagnostics had a BatchNorm mode and bands cannot be drawn
 * by today's charts: keep the current ones, count the rest. */
export function currentRecords<T extends SpectrumRecord | SignalRecord>(records: readonly unknown[]): { kept: T[]; dropped: number } {
  const kept = records.filter((r): r is T => typeof r === 'object' && r !== null && 'bnStats' in r && ('reach' in r || 'layers' in r));
  return { kept, dropped: records.length - kept.length };
}
