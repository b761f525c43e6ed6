// Seeds on the GPU: a comparison of 2 runs over 2 seeds equals the four one-seed
// experiments (seed s and seed s + 1) step by step, the seeds really differ, and it
// resumes from a checkpoint with every seed where it was.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { gpuTestContext } from '../engine/webgpu/testing';
import { Comparison, type ComparisonCheckpoint } from './comparison';
import { tinyExperiment } from './configTesting';
import { type ExperimentConfig, type RunChoice } from './experimentConfig';

const data = makeSyntheticShapes({ seed: 5, trainCount: 40, testCount: 16, size: 12 });

const experiment = (schemes: RunChoice[], seed: number, seeds: number): ExperimentConfig =>
  tinyExperiment({ model: { width: 6 }, schemes, seed, seeds });

const TWO: RunChoice[] = [{ id: 'risotto' }, { id: 'he', model: { batchNorm: true } }];

describe('seeds on the GPU', () => {
  it('2 runs x 2 seeds equal the four one-seed experiments, step by step', { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const saved: ComparisonCheckpoint[] = [];
    const onCheckpoint = (cp: ComparisonCheckpoint) => void saved.push(structuredClone(cp));
    const together = await new Comparison(ctx, experiment(TWO, 7, 2), data, { readEvery: 2, checkpointEvery: 2, onCheckpoint }).run();
    expect(together.runs.map((r) => [r.key, r.seedIndex, r.seed])).toEqual([
      ['risotto', 0, 7],
      ['risotto@seed2', 1, 8],
      ['he[bn=1]', 0, 7],
      ['he[bn=1]@seed2', 1, 8],
    ]);
    for (const [i, run] of TWO.entries()) {
      for (const k of [0, 1]) {
        const alone = await new Comparison(ctx, experiment([run], 7 + k, 1), data, { readEvery: 3 }).run();
        const [a, b] = [together.runs[2 * i + k], alone.runs[0]];
        expect(a.status, `${a.key}: ${a.message}`).toBe('finished');
        expect(a.train.map((p) => p.step)).toEqual([1, 2, 3]);
        expect(a.train, a.key).toEqual(b.train);
        expect(a.test, a.key).toEqual(b.test);
      }
    }
    // The second seed is another init and another data order, not a copy of the first.
    for (const i of [0, 2]) expect(together.runs[i].train[0].loss).not.toBe(together.runs[i + 1].train[0].loss);

    // A page reload at step 2: every run and seed continues as if uninterrupted.
    const at2 = saved.find((cp) => cp.step === 2)!;
    expect(at2.runs).toHaveLength(4);
    const resumed = await new Comparison(ctx, experiment(TWO, 7, 2), data, { resumeFrom: at2 }).run();
    resumed.runs.forEach((r, i) => {
      expect(r.key).toBe(together.runs[i].key);
      expect(r.train, r.key).toEqual(together.runs[i].train);
      expect(r.test, r.key).toEqual(together.runs[i].test);
    });
    // A checkpoint of another number of seeds is refused, saying why.
    await expect(new Comparison(ctx, experiment(TWO, 7, 1), data, { resumeFrom: at2 }).run()).rejects.toThrow(
      'the checkpoint holds 4 runs (runs x seeds), this experiment trains 2',
    );
  });

  it('measures the diagnostics of every seed, each as a one-seed experiment with that seed would', { timeout: 600_000 }, async () => {
    const ctx = await gpuTestContext();
    const exp = (seed: number, seeds: number): ExperimentConfig => ({
      ...experiment([{ id: 'he' }], seed, seeds),
      steps: 1,
      spectrumAt: [0],
    });
    const together = await new Comparison(ctx, exp(7, 2), data).run();
    expect(together.spectra.map((r) => r.runKey)).toEqual(['he', 'he@seed2']);
    expect(together.signals.map((r) => r.runKey)).toEqual(['he', 'he@seed2']);
    const alone = await new Comparison(ctx, exp(8, 1), data).run();
    expect(together.spectra[1].singularValues).toEqual(alone.spectra[0].singularValues);
    expect(together.signals[1].layers).toEqual(alone.signals[0].layers);
    expect(together.spectra[0].singularValues).not.toEqual(together.spectra[1].singularValues);
  });
});
