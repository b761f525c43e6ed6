// The Profile view's numbers on the GPU: a comparison asked to profile times one step of
// every live run by GPU timestamps, each dispatch of the step once, and trains exactly
// as the same comparison without a profile.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { gpuTestContext } from '../engine/webgpu/testing';
import { Comparison } from './comparison';
import { defaultExperiment } from './experimentFields';
import { type ExperimentConfig } from './experimentConfig';

const data = makeSyntheticShapes({ seed: 2, trainCount: 24, testCount: 8, size: 12 });
const exp: ExperimentConfig = {
  ...defaultExperiment(),
  model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 6, skip: 'B', batchNorm: true },
  schemes: [{ id: 'risotto' }, { id: 'fixup' }],
  batchSize: 4,
  steps: 3,
  evalEvery: 3,
  evalBatches: 1,
  spectrumAt: [],
};

describe('GPU profile of a comparison', () => {
  it('times every dispatch of one step per run and changes no number', { timeout: 300_000 }, async () => {
    const ctx = await gpuTestContext();
    const plain = await new Comparison(ctx, exp, data, { readEvery: 1 }).run();
    let asked = false;
    const dispatches = new Map<string, number>();
    const profiled = new Comparison(ctx, exp, data, {
      readEvery: 1,
      onUpdate: (s) => {
        // After the first read: the profile covers step 2.
        if (!asked && s.step === 1) {
          asked = true;
          profiled.requestProfile();
          for (const r of profiled.runs) dispatches.set(r.state.key, r.dispatchesPerStep);
        }
      },
    });
    const snap = await profiled.run();
    expect(snap.runs.map((r) => r.status)).toEqual(['finished', 'finished']);
    expect(snap.runs.map((r) => r.train)).toEqual(plain.runs.map((r) => r.train));
    expect(snap.profiles?.map((p) => [p.runKey, p.step])).toEqual([
      ['risotto', 2],
      ['fixup', 2],
    ]);
    for (const p of snap.profiles!) {
      expect(dispatches.get(p.runKey)).toBeGreaterThan(10);
      expect(p.kernels.reduce((s, k) => s + k.dispatches, 0)).toBe(dispatches.get(p.runKey));
      expect(p.kernels.reduce((s, k) => s + k.share, 0)).toBeCloseTo(1, 9);
      expect(p.kernels.every((k) => k.ms >= 0)).toBe(true);
      // Convolutions declare their FLOPs, so they have a rate; ReLU-like kernels do not.
      expect(p.kernels.find((k) => k.kind.startsWith('conv2dForward'))?.gflops).toBeGreaterThan(0);
    }
  });
});
