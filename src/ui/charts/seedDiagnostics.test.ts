import { describe, expect, it } from 'vitest';
import type { SignalRecord } from '../../lab/diagnostics';
import { signalsOverSeeds } from './seedDiagnostics';

const band = (mean: number, spread: number) => ({ mean, min: mean - spread, max: mean + spread });

function record(runKey: string, q: number, ratio: number): SignalRecord {
  return {
    runKey,
    step: 0,
    bnStats: 'batch',
    batchNorm: false,
    source: 'noise',
    pairs: 4,
    inputCosine: band(0, 0),
    layers: [{ name: 'stem', depth: 0, q: band(q, 0.1), cosine: band(0.5, 0.1) }],
    balance: [{ block: 0, name: 'stage1.block0', ratio: band(ratio, 0.2) }],
  };
}

describe('signal propagation over seeds', () => {
  it('one record per run: the mean of the seeds, the band from the lowest minimum to the highest maximum', () => {
    const [he, fixup] = signalsOverSeeds([record('he', 1, 2), record('he@seed2', 3, 4), record('fixup', 5, 6)]);
    expect(he.runKey).toBe('he');
    expect(he.pairs).toBe(8);
    expect(he.layers[0].q).toEqual({ mean: 2, min: 0.9, max: 3.1 });
    expect(he.balance[0].ratio).toEqual({ mean: 3, min: 1.8, max: 4.2 });
    expect(fixup).toEqual(record('fixup', 5, 6));
  });
});
