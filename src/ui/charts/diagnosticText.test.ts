import { describe, expect, it } from 'vitest';
import type { SpectrumRecord } from '../../lab/diagnostics';
import { bandRows } from './bandRows';
import { recordsForMode } from './diagnosticData';
import { bnModeNote, rankReason, spectrumStatsText } from './diagnosticText';

/** Risotto on ResNet-8 at an 8 x 8 probe: two stride-2 stages, 64 x 2 x 2 targets. */
function spectrum(over: Partial<SpectrumRecord> = {}): SpectrumRecord {
  return {
    runKey: 'risotto',
    step: 0,
    bnStats: 'batch',
    batchNorm: false,
    singularValues: [1, 1, 0],
    histogram: { edges: [0.3, 3], counts: [2] },
    rank: 12,
    rankThreshold: 1e-6,
    zeros: 180,
    maxAbsDeviation: 2e-7,
    meanSquared: 0.0625,
    condition: 1,
    rows: 256,
    cols: 192,
    probeSize: 8,
    from: 'image',
    target: 'features',
    reach: [],
    reachSize: 8,
    deltaRank: { rank: 12, channels: 3, side: 2 },
    ...over,
  };
}

describe('spectrum words', () => {
  it('states rank with its threshold and the zeros not drawn', () => {
    expect(spectrumStatsText(spectrum())).toBe('rank 12/192 (σ > 1e-6) · 180 zeros not drawn · max|σ−1| = 2e-7 · cond = 1');
    expect(spectrumStatsText(spectrum({ rank: 192, zeros: 0 }))).not.toMatch(/zero/);
  });

  it('explains a rank below full by delta kernels and stride, and only then', () => {
    expect(rankReason(spectrum())).toMatch(/3 channels × 2×2 pixels = 12; the other 180 directions/);
    expect(rankReason(spectrum())).toMatch(/read one pixel in 16/);
    expect(rankReason(spectrum({ from: 'stem' }))).toMatch(/the stem's output/);
    // Full rank, kernels that are not delta kernels, or a rank the deltas do not explain.
    expect(rankReason(spectrum({ rank: 192, zeros: 0 }))).toBeUndefined();
    expect(rankReason(spectrum({ deltaRank: undefined }))).toBeUndefined();
    expect(rankReason(spectrum({ rank: 11 }))).toBeUndefined();
  });

  it('says what the BatchNorm mode means, and warns that running statistics at step 0 are not the trained network', () => {
    expect(bnModeNote([spectrum()])).toBeUndefined();
    expect(bnModeNote([spectrum({ batchNorm: true })])).toMatch(/reference batch of 32/);
    expect(bnModeNote([spectrum({ batchNorm: true, bnStats: 'running' })])).toMatch(/At step 0 .* identity/);
    expect(bnModeNote([spectrum({ batchNorm: true, bnStats: 'running', step: 40 })])).toMatch(
      /^BatchNorm with running statistics: the inference function/,
    );
  });
});

describe('records for the chosen BatchNorm mode', () => {
  const r = (runKey: string, bnStats: 'batch' | 'running', batchNorm: boolean) => ({
    runKey,
    bnStats,
    batchNorm,
    id: `${runKey}/${bnStats}`,
  });
  it('takes each BN run in the chosen mode and each no-BN run in whatever mode it was measured, in run order', () => {
    const records = [
      r('he', 'batch', true),
      r('he', 'running', true),
      r('fixup', 'batch', false),
      r('risotto', 'running', true),
      r('risotto', 'batch', true),
    ];
    expect(recordsForMode(records, 'running', ['risotto', 'he', 'fixup']).map((x) => x.id)).toEqual([
      'risotto/running',
      'he/running',
      'fixup/batch',
    ]);
    expect(recordsForMode(records, 'batch', ['fixup', 'he']).map((x) => x.id)).toEqual(['fixup/batch', 'he/batch', 'risotto/batch']);
  });
});

describe('band rows', () => {
  it('one row per x with each run’s mean and [min, max], skipping missing and non-finite bands', () => {
    const rows = bandRows([
      {
        prefix: 'q',
        points: [
          [
            { x: 1, band: { mean: 2, min: 1, max: 3 } },
            { x: 0, band: { mean: 1, min: 1, max: 1 } },
          ],
          [{ x: 1, band: { mean: NaN, min: NaN, max: NaN } }, { x: 2 }],
        ],
      },
      { prefix: 'c', points: [[{ x: 1, band: { mean: 0.5, min: 0.4, max: 0.6 } }]] },
    ]);
    expect(rows).toEqual([
      { x: 0, q0: 1, q0band: [1, 1] },
      { x: 1, q0: 2, q0band: [1, 3], c0: 0.5, c0band: [0.4, 0.6] },
    ]);
  });
});
