// The history's bounded, evenly spaced series, the per-block norms and the diagnostic
// summary numbers taken from a measurement.
import { describe, expect, it } from 'vitest';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import { blockIndex, isBranchScalar } from './paramBlocks';
import { blockNorms, emptyHistory, emptySeries, keepDiagnostics, keepStep } from './runHistory';

describe('keepStep', () => {
  it('keeps every step until full, then every second one, evenly over the whole run', () => {
    const s = emptySeries();
    for (let step = 1; step <= 8; step++) keepStep(s, step, [step], 8);
    // Full at 8 rows: halved to steps 1, 3, 5, 7 and stride 2.
    expect(s.steps).toEqual([1, 3, 5, 7]);
    expect(s.stride).toBe(2);
    for (let step = 9; step <= 100; step++) keepStep(s, step, [step * 10], 8);
    expect(s.steps.length).toBeLessThan(8);
    const gaps = new Set(s.steps.slice(1).map((v, j) => v - s.steps[j]));
    expect(gaps).toEqual(new Set([s.stride]));
    expect(s.steps[0]).toBe(1);
    expect(s.rows.map((r) => r[0])).toEqual(s.steps.map((v) => (v <= 8 ? v : v * 10)));
    expect(s.seen).toBe(100);
    expect(s.steps[s.steps.length - 1]).toBeGreaterThan(100 - s.stride);
  });

  it('ignores a step read twice', () => {
    const s = emptySeries();
    keepStep(s, 4, [1], 8);
    keepStep(s, 4, [2], 8);
    expect(s.steps).toEqual([4]);
    expect(s.seen).toBe(1);
  });
});

describe('per-block norms', () => {
  it('orders blocks as the network and combines parameter norms by sum of squares', () => {
    const names = ['stem.conv.weight', 'stage2.block0.conv1.weight', 'stage1.block10.aRes', 'stage1.block2.conv1.weight', 'head.fc.weight'];
    const { blocks, of } = blockIndex([...names, 'stage1.block2.conv2.weight']);
    expect(blocks).toEqual(['stem', 'stage1.block2', 'stage1.block10', 'stage2.block0', 'head']);
    expect(blockNorms([1, 2, 3, 4, 5, 3], of, blocks.length)).toEqual([1, 5, 3, 2, 5]);
    expect(names.filter(isBranchScalar)).toEqual(['stage1.block10.aRes']);
  });
});

describe('keepDiagnostics', () => {
  const spectrum = { step: 5, bnStats: 'batch', singularValues: [4, 2, 0.5, 0], rank: 3, maxAbsDeviation: 3 } as SpectrumRecord;
  const band = (mean: number) => ({ mean, min: mean, max: mean });
  const signal = {
    layers: [
      { name: 'stem', depth: 0, q: band(1), cosine: band(0.1) },
      { name: 'stage1.block0', depth: 1, q: band(2), cosine: band(0.4) },
    ],
    balance: [
      { block: 0, name: 'a', ratio: band(1) },
      { block: 1, name: 'b', ratio: band(3) },
    ],
  } as unknown as SignalRecord;

  it('reduces a measurement to its summary numbers, once per step and mode', () => {
    const h = emptyHistory(['stem'], []);
    keepDiagnostics(h, spectrum, signal);
    keepDiagnostics(h, spectrum, signal);
    keepDiagnostics(h, { ...spectrum, step: 0 }, signal);
    expect(h.diagnostics.map((d) => d.step)).toEqual([0, 5]);
    expect(h.diagnostics[1]).toEqual({
      step: 5,
      bnStats: 'batch',
      sigmaMax: 4,
      sigmaMin: 0.5,
      maxAbsDev: 3,
      rank: 3,
      balance: 2,
      lastQ: 2,
      lastCosine: 0.4,
    });
  });
});
