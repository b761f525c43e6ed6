// The init explorer's Worker side: a newer update cancels the one in progress (which
// rejects with EXPLORER_CANCELLED and never reports a result), each scheme's stage is
// measured at the explorer's settings (Risotto isometric, its a_res / a_skip honoured),
// bad settings are refused before any GPU work.

import { describe, expect, it } from 'vitest';
import { gpuTestContext } from '../engine/webgpu/testing';
import { EXPLORER_CANCELLED, InitExplorer } from './initExplorer';
import { defaultStageSettings } from './stageNet';

const settings = { ...defaultStageSettings(), depth: 1, width: 8 };

describe('init explorer', () => {
  it('a newer update cancels the one in progress; the newer one measures every scheme', { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const explorer = new InitExplorer(async () => ctx);
    const progress: string[] = [];
    const stale = explorer.explore({ settings, schemes: ['he', 'risotto'] }, (p) => progress.push(`old ${p.done}/${p.total}`));
    const fresh = explorer.explore({ settings: { ...settings, depth: 2, aRes: 0.5, aSkip: 2 }, schemes: ['risotto', 'he'] }, (p) =>
      progress.push(`new ${p.done}/${p.total}`),
    );
    await expect(stale).rejects.toThrow(EXPLORER_CANCELLED);
    const got = await fresh;
    expect(progress).toEqual(['new 1/2', 'new 2/2']);
    expect(got.runs.map((r) => r.scheme)).toEqual(['risotto', 'he']);
    const [ris, he] = got.runs.map((r) => r.measurement!);
    expect(ris.spectrum.runKey).toBe('risotto');
    expect(ris.spectrum.maxAbsDeviation).toBeLessThan(1e-5);
    expect(ris.spectrum.target).toBe('stage 1');
    // The stem and the stage's 2 blocks; branch balance per block.
    expect(ris.signal.layers.map((l) => l.name)).toEqual(['stem', 'stage1.block0', 'stage1.block1']);
    expect(ris.signal.balance).toHaveLength(2);
    expect(he.spectrum.singularValues[0]).toBeGreaterThan(2);
    expect(he.signal.balance.every((b) => b.ratio.mean > 0)).toBe(true);
  });

  it('refuses bad settings and an empty scheme list, naming the problem', async () => {
    const explorer = new InitExplorer(() => Promise.reject(new Error('no device needed')));
    await expect(explorer.explore({ settings: { ...settings, depth: 65 }, schemes: ['he'] })).rejects.toThrow(
      'Depth (blocks) must be between 1 and 64, got 65',
    );
    await expect(explorer.explore({ settings: { ...settings, aRes: 0 }, schemes: ['he'] })).rejects.toThrow('a_res must not be 0');
    await expect(explorer.explore({ settings, schemes: [] })).rejects.toThrow('choose at least one scheme');
  });
});
