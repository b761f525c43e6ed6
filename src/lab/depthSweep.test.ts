// The depth sweep against docs/science.md section 5: He's sigma_max ~1e1 at D = 2 at the
// figure's own setting (width 16, 8 x 8 noise, no BatchNorm), and the shape of the curves
// over D = 1..16 on a smaller net (width 8, 3 x 3 probe): He grows, Risotto stays
// isometric, Fixup and SkipInit are flat. The deeper figures (D = 8, 32, 64 at width 16)
// take minutes of software GPU each and are recorded in bench/RESULTS.md. About 50 s of
// CPU in all; the long timeouts are for loaded machines, as in spectrumModes.test.ts. Also
// cancellation, progress, the bands over seeds and the CSV table.

import { describe, expect, it } from 'vitest';
import { gpuTestContext } from '../engine/webgpu/testing';
import { measureStage, stageNet } from './stageNet';
import { depthSweep, sweepCsv, sweepDepths, sweepPoints, sweepProblems, type SweepRow } from './depthSweep';

const settings = { width: 16, batchNorm: false, aRes: 1, aSkip: 1, seed: 1 };

describe('depth sweep on the GPU', () => {
  it('He without BatchNorm, width 16, 8 x 8 noise: sigma_max ~1e1 at D = 2 (float64 reference 8.5)', { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const { spectrum } = await measureStage(ctx, { ...settings, depth: 2 }, 'he');
    expect([spectrum.rank, spectrum.batchNorm, spectrum.target]).toEqual([192, false, 'stage 1']);
    const sigmaMax = spectrum.singularValues[0];
    expect(sigmaMax).toBeGreaterThan(8.5 / 1.5);
    expect(sigmaMax).toBeLessThan(8.5 * 1.5);
    expect(spectrum.maxAbsDeviation).toBeCloseTo(sigmaMax - 1, 9);
  });

  it(
    'D = 1..16, width 8, 3 x 3 probe, 2 seeds: He grows (less with BatchNorm), Risotto max|sigma - 1| < 1e-5, Fixup and SkipInit flat',
    { timeout: 600_000 },
    async () => {
      const ctx = await gpuTestContext();
      const progress: number[] = [];
      const small = { ...settings, width: 8 };
      const rows = await depthSweep(
        ctx,
        { schemes: ['he', 'risotto', 'fixup', 'skipinit'], maxDepth: 16, seeds: 2, settings: small, probeSize: 3 },
        { onProgress: (p) => progress.push(p.done / p.total) },
      );
      expect(rows).toHaveLength(5 * 4 * 2);
      expect(progress.at(-1)).toBe(1);
      const of = (scheme: string) => sweepPoints(rows).filter((p) => p.scheme === scheme);
      const he = of('he').map((p) => p.bands.sigmaMax.mean);
      for (let i = 1; i < he.length; i++) expect(he[i], `He D = ${2 ** i} vs ${2 ** (i - 1)}`).toBeGreaterThan(he[i - 1]);
      expect(he[4] / he[1]).toBeGreaterThan(10);
      for (const r of rows.filter((x) => x.scheme === 'risotto')) {
        expect(r.maxAbsDeviation, `Risotto D = ${r.depth} seed ${r.seed}`).toBeLessThan(1e-5);
        expect(r.rank).toBe(27);
        // The signal cosine is preserved exactly; inputs are orthogonal pairs.
        expect(Math.abs(r.signalCosine!)).toBeLessThan(0.2);
        expect(r.q).toBeGreaterThan(0);
      }
      for (const scheme of ['fixup', 'skipinit']) {
        for (const seed of [1, 2]) {
          const mine = rows.filter((r) => r.scheme === scheme && r.seed === seed);
          // Every block is the identity at init: the stem's spectrum at every depth.
          for (const r of mine) {
            expect(r.sigmaMax / mine[0].sigmaMax, `${scheme} D = ${r.depth}`).toBeCloseTo(1, 5);
            expect(r.sigmaMin / mine[0].sigmaMin, `${scheme} D = ${r.depth}`).toBeCloseTo(1, 5);
            expect(r.q / mine[0].q).toBeCloseTo(1, 5);
          }
          expect(mine[0].batchNorm).toBe(false);
        }
      }
      // With BatchNorm (batch statistics) He grows far less; Fixup has none whatever is asked.
      const bn = await depthSweep(ctx, { schemes: ['he'], maxDepth: 16, seeds: 1, settings: { ...small, batchNorm: true }, probeSize: 3 });
      expect(bn.every((r) => r.batchNorm)).toBe(true);
      expect(stageNet({ ...small, depth: 4, batchNorm: true }, 'fixup').config.batchNorm).toBe(false);
      const heBn16 = bn.find((r) => r.scheme === 'he' && r.depth === 16)!;
      // (44 against 59 on this tiny probe; 224 against 4e5 at width 16, 8 x 8, D = 32.)
      expect(heBn16.sigmaMax).toBeLessThan(rows.find((r) => r.scheme === 'he' && r.depth === 16 && r.seed === 1)!.sigmaMax);
      // Bands over the two seeds: He's weights differ per seed, so its band has width.
      const heBand = of('he')[4].bands.sigmaMax;
      expect(heBand.max).toBeGreaterThan(heBand.min);
      expect(of('he')[4].seeds).toBe(2);
    },
  );

  it('an aborted sweep stops before its next measurement, with the reason', async () => {
    const ctx = await gpuTestContext();
    const abort = new AbortController();
    const done: number[] = [];
    const run = depthSweep(
      ctx,
      { schemes: ['he'], maxDepth: 4, seeds: 1, settings: { ...settings, width: 8 }, probeSize: 4 },
      {
        abort: abort.signal,
        onProgress: (p) => {
          done.push(p.done);
          if (p.done === 1) abort.abort(new Error('stale'));
        },
      },
    );
    await expect(run).rejects.toThrow('stale');
    expect(done).toEqual([1]);
  });
});

describe('depth sweep inputs and tables', () => {
  it('depths are the powers of two up to the largest; anything else is refused, naming the rule', () => {
    expect(sweepDepths(1)).toEqual([1]);
    expect(sweepDepths(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    for (const bad of [0, 3, 24, 128, 2.5, NaN]) expect(() => sweepDepths(bad)).toThrow(/power of two from 1 to 64/);
  });

  it('problems are reported before any GPU work', () => {
    expect(sweepProblems({ schemes: ['he'], maxDepth: 8, seeds: 11, settings })).toEqual([
      'seeds must be a whole number from 1 to 10, got 11',
    ]);
    expect(sweepProblems({ schemes: [], maxDepth: 8, seeds: 1, settings })).toEqual(['no scheme to sweep']);
    const odd = sweepProblems({ schemes: ['risotto', 'he'], maxDepth: 8, seeds: 1, settings: { ...settings, width: 9 } });
    expect(odd.length).toBeGreaterThan(0);
    expect(odd.every((p) => p.startsWith('risotto: '))).toBe(true);
  });

  it('CSV: a header, one line per row, an empty cell where a quantity does not apply', () => {
    const row: SweepRow = {
      scheme: 'he',
      depth: 2,
      seed: 1,
      batchNorm: false,
      sigmaMax: 8.5,
      sigmaMin: 0.6,
      maxAbsDeviation: 7.5,
      rank: 192,
      q: 3,
      cosine: 0.7,
    };
    expect(sweepCsv([row, { ...row, scheme: 'risotto', signalCosine: 0.1 }]).split('\n')).toEqual([
      'scheme,depth,seed,batchNorm,rank,sigmaMax,sigmaMin,maxAbsDeviation,q,cosine,signalCosine',
      'he,2,1,false,192,8.5,0.6,7.5,3,0.7,',
      'risotto,2,1,false,192,8.5,0.6,7.5,3,0.7,0.1',
      '',
    ]);
    const pts = sweepPoints([row, { ...row, seed: 2, sigmaMax: 10.5 }]);
    expect(pts).toHaveLength(1);
    expect(pts[0].bands.sigmaMax).toEqual({ mean: 9.5, min: 8.5, max: 10.5 });
    expect(Number.isNaN(pts[0].bands.signalCosine.mean)).toBe(true);
  });
});
