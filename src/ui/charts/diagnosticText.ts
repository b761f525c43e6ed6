// The words under the diagnostics charts: each spectrum's rank with its threshold and
// zero count, why the rank is below full when stride and delta kernels explain it, and
// what the BatchNorm mode means for the network measured. Pure, so it is unit tested.

import type { SignalRecord, SpectrumRecord } from '../../lab';
import { formatNumber } from './chartData';

type BnRecord = Pick<SpectrumRecord | SignalRecord, 'batchNorm' | 'bnStats' | 'step'>;

export function spectrumStatsText(s: SpectrumRecord): string {
  const full = Math.min(s.rows, s.cols);
  const zeros = s.zeros > 0 ? ` · ${s.zeros} zero${s.zeros === 1 ? '' : 's'} not drawn` : '';
  return `rank ${s.rank}/${full} (σ > ${formatNumber(s.rankThreshold, 2)})${zeros} · max|σ−1| = ${formatNumber(s.maxAbsDeviation, 2)} · cond = ${formatNumber(s.condition)}`;
}

/** Why the rank is below min(rows, cols), when the lab can say: delta kernels make each
 * target pixel see one input pixel. */
export function rankReason(s: SpectrumRecord): string | undefined {
  const full = Math.min(s.rows, s.cols);
  const d = s.deltaRank;
  if (!d || s.rank >= full || s.rank !== d.rank) return undefined;
  const origin = s.from === 'stem' ? "the stem's output" : 'the input';
  const ratio = Math.round(s.reachSize / d.side);
  const stride = ratio > 1 ? ` and the stride-2 stages read one pixel in ${ratio * ratio}` : '';
  return `Each output pixel sees one pixel of ${origin} at these weights: every conv is a delta kernel${stride}, so the rank is ${d.channels} channels × ${d.side}×${d.side} pixels = ${d.rank}; the other ${full - d.rank} directions never reach the features. The non-zero values are what counts.`;
}

/** What the BatchNorm mode means for these records; undefined without BatchNorm. */
export function bnModeNote(records: readonly BnRecord[]): string | undefined {
  const bn = records.filter((r) => r.batchNorm);
  if (bn.length === 0) return undefined;
  if (bn[0].bnStats === 'batch')
    return 'BatchNorm normalises with the statistics of a reference batch of 32 inputs, held constant: the network as it is trained.';
  const atInit = bn.some((r) => r.step === 0);
  return atInit
    ? 'BatchNorm with running statistics (the inference function). At step 0 they are (0, 1), so BatchNorm is the identity: this is the network without BatchNorm, not the one being trained.'
    : 'BatchNorm with running statistics: the inference function, not the network as it is trained.';
}
