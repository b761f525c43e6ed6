// The comparison runner on a tiny synthetic dataset: every run trains on the same data,
// results are reproducible, pause/resume/stop work between steps, and one run's failure
// or divergence leaves the others running with their history kept.
import { describe, expect, it } from 'vitest';
import { makeSyntheticShapes } from '../data/synthetic';
import { gpuTestContext } from '../engine/webgpu/testing';
import { Comparison, type ComparisonCheckpoint } from './comparison';
import { defaultExperiment } from './experimentFields';
import { type ExperimentConfig } from './experimentConfig';
import { initialWeights } from './initTools';
import { datasetShape, resnetConfigFor } from './modelFactory';
import type { ComparisonSnapshot } from './runState';
import { importWeights } from './weights';
import { buildResNet } from '../nn/resnet';

const data = makeSyntheticShapes({ seed: 3, trainCount: 48, testCount: 16, size: 12 });

function tiny(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    ...defaultExperiment(),
    model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 8, skip: 'B', batchNorm: false },
    schemes: [{ id: 'risotto' }, { id: 'he' }],
    batchSize: 8,
    steps: 6,
    evalEvery: 3,
    evalBatches: 1,
    schedule: { kind: 'constant' },
    warmupSteps: 0,
    spectrumAt: [],
    ...over,
  };
}

describe('Comparison', () => {
  it('trains every scheme on every step, evaluates, and is reproducible', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const a = await new Comparison(ctx, tiny(), data, { readEvery: 2 }).run();
    const b = await new Comparison(ctx, tiny(), data, { readEvery: 3 }).run();
    expect(a.phase).toBe('finished');
    for (const run of a.runs) {
      expect(run.status).toBe('finished');
      expect(run.train.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(run.test.map((p) => p.step)).toEqual([3, 6]);
      expect(run.train.every((p) => Number.isFinite(p.loss) && p.acc >= 0 && p.acc <= 1)).toBe(true);
    }
    // Deterministic kernels + seeded data order: identical losses, whatever the read cadence.
    expect(b.runs.map((r) => r.train.map((p) => p.loss))).toEqual(a.runs.map((r) => r.train.map((p) => p.loss)));
    // Different schemes do see different losses (the comparison is not degenerate).
    expect(a.runs[0].train[0].loss).not.toBe(a.runs[1].train[0].loss);
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });

  it("shows each run's first loss as soon as that run's first step is done", async () => {
    const ctx = await gpuTestContext();
    const counts: number[] = [];
    await new Comparison(ctx, tiny({ steps: 2, schemes: [{ id: 'risotto' }, { id: 'he' }, { id: 'fixup' }] }), data, {
      onUpdate: (s) => {
        if (s.step === 1) counts.push(s.runs.filter((r) => r.train.length > 0).length);
      },
    }).run();
    // One update per run as its loss arrives, before the step's read shows them all.
    expect(counts.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('measures the spectrum and signal propagation at init and at chosen steps', async () => {
    const ctx = await gpuTestContext();
    const activities: string[] = [];
    const end = await new Comparison(ctx, tiny({ steps: 4, spectrumAt: [0, 4] }), data, {
      onUpdate: (s) => s.activity && activities.push(s.activity),
    }).run();
    // What happens before the first step is said, in order: pipelines, diagnostics, first step.
    const kinds = activities.map((a) => a.replace(/ \d+\/\d+.*$|: .*$/, ''));
    expect([...new Set(kinds)]).toEqual(['compiling pipelines', 'measuring diagnostics', 'first step']);
    expect(activities.filter((a) => a.startsWith('measuring'))).toEqual([
      ...['measuring diagnostics: Risotto 1/2', 'measuring diagnostics: He (Kaiming) normal 2/2'], // step 0
      ...['measuring diagnostics: Risotto 1/2', 'measuring diagnostics: He (Kaiming) normal 2/2'], // step 4
    ]);
    const first = activities
      .filter((a) => a.endsWith('(Risotto)'))
      .map((a) =>
        a
          .match(/(\d+)\/(\d+)/)!
          .slice(1)
          .map(Number),
      );
    // Earlier tests in this file may have compiled them all already (total 0).
    const total = first[0][1];
    expect(first.map(([d]) => d)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(end.activity).toBeUndefined();
    expect(end.spectra.map((s) => [s.runKey, s.step])).toEqual([
      ['risotto', 0],
      ['he', 0],
      ['risotto', 4],
      ['he', 4],
    ]);
    const [risotto0, he0] = end.spectra;
    // Risotto is exactly isometric at init (up to float32); He without BatchNorm is not.
    expect(risotto0.maxAbsDeviation).toBeLessThan(1e-3);
    expect(he0.maxAbsDeviation).toBeGreaterThan(0.1);
    expect(risotto0.rank).toBeGreaterThan(0);
    expect(end.signals).toHaveLength(4);
    expect(end.signals[0].layers.length).toBe(4); // stem + 3 blocks
    expect(end.signals[0].balance.length).toBe(3);
    // Each run's history holds the summary numbers of its measurements, as lines over steps.
    const history = end.runs[0].history!.diagnostics;
    expect(history.map((d) => [d.step, d.bnStats])).toEqual([
      [0, 'batch'],
      [4, 'batch'],
    ]);
    expect(history[0].maxAbsDev).toBe(risotto0.maxAbsDeviation);
    expect(history[0].lastQ).toBe(end.signals[0].layers[3].q.mean);
    expect(end.warnings).toEqual([]);
  });

  it('pauses, resumes and stops between steps', async () => {
    const ctx = await gpuTestContext();
    const updates: ComparisonSnapshot[] = [];
    // Resolves at the first update or checkpoint after which `when` holds.
    let waiting: { when: () => boolean; resolve: () => void } | undefined;
    const check = () => {
      if (!waiting?.when()) return;
      waiting.resolve();
      waiting = undefined;
    };
    const until = (when: () => boolean) => new Promise<void>((resolve) => (waiting = { when, resolve }));
    const checkpoints: number[] = [];
    const cmp: Comparison = new Comparison(ctx, tiny({ steps: 1000 }), data, {
      readEvery: 2,
      checkpointEvery: 10_000,
      onUpdate: (s) => {
        updates.push(s);
        check();
      },
      // The loop saves a checkpoint when it reaches the pause wait: no step can follow it.
      onCheckpoint: (cp) => {
        checkpoints.push(cp.step);
        check();
      },
    });
    const done = cmp.run();
    await until(() => cmp.snapshot().step >= 2);
    const before = checkpoints.length;
    cmp.pause();
    await until(() => checkpoints.length > before);
    const pausedAt = cmp.snapshot().step;
    expect(checkpoints.at(-1)).toBe(pausedAt);
    expect(cmp.snapshot().phase).toBe('paused');
    expect(cmp.snapshot().runs.every((r) => r.status === 'paused')).toBe(true);
    const resumed = until(() => cmp.snapshot().step >= pausedAt + 2);
    cmp.resume();
    await resumed;
    cmp.stop();
    const end = await done;
    expect(end.phase).toBe('stopped');
    expect(end.step).toBeLessThan(1000);
    expect(end.runs.every((r) => r.status === 'stopped' && r.train.length === end.step)).toBe(true);
    expect(updates.some((u) => u.phase === 'paused')).toBe(true);
  });

  it('resumes every run from its last checkpoint on a new device after device loss', async () => {
    const { acquireNodeDevice } = await import('./node/device');
    const ctx = await acquireNodeDevice();
    const exp = tiny({ steps: 12, evalEvery: 6 });
    const reference = await new Comparison(ctx, exp, data).run();
    let killed = false;
    const devices = [ctx];
    const cmp = new Comparison(ctx, exp, data, {
      readEvery: 2,
      checkpointEvery: 4,
      recoverDevice: async () => {
        const fresh = await acquireNodeDevice();
        devices.push(fresh);
        return fresh;
      },
      onUpdate: (s) => {
        if (!killed && s.step >= 6) {
          killed = true;
          ctx.device.destroy();
        }
      },
    });
    const end = await cmp.run();
    expect(killed).toBe(true);
    expect(end.recoveredAt).toEqual([4]);
    expect(end.phase).toBe('finished');
    for (const [i, r] of end.runs.entries()) {
      expect(r.status).toBe('finished');
      expect(r.train.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, k) => k + 1));
      // Retraining from the checkpoint is deterministic: the history equals an uninterrupted run.
      expect(r.train.map((p) => p.loss)).toEqual(reference.runs[i].train.map((p) => p.loss));
    }
    devices.forEach((d) => d.destroy());
  });

  it('continues from a persisted checkpoint (a page reload) with its history intact', async () => {
    const ctx = await gpuTestContext();
    const exp = tiny({ steps: 10, evalEvery: 5 });
    const reference = await new Comparison(ctx, exp, data).run();
    let saved: ComparisonCheckpoint | undefined;
    const first = new Comparison(ctx, exp, data, {
      checkpointEvery: 3,
      onCheckpoint: (cp) => void (saved = structuredClone(cp)), // what IndexedDB keeps
      onUpdate: (s) => s.step >= 7 && first.stop(),
    });
    await first.run();
    expect(saved?.step).toBe(6);
    const resumed = await new Comparison(ctx, exp, data, { resumeFrom: saved }).run();
    expect(resumed.phase).toBe('finished');
    resumed.runs.forEach((r, i) => {
      expect(r.train.map((p) => p.step)).toEqual(Array.from({ length: 10 }, (_, k) => k + 1));
      expect(r.train.map((p) => p.loss)).toEqual(reference.runs[i].train.map((p) => p.loss));
      expect(r.test.map((p) => p.step)).toEqual([5, 10]);
    });
  });

  it('resumes a checkpoint holding diagnostics of an older version: drops them with a warning, keeps the current ones', async () => {
    const ctx = await gpuTestContext();
    const exp = tiny({ steps: 4, spectrumAt: [0] });
    let saved: ComparisonCheckpoint | undefined;
    const first = new Comparison(ctx, exp, data, {
      checkpointEvery: 2,
      onCheckpoint: (cp) => void (saved = structuredClone(cp)),
      onUpdate: (s) => s.step >= 3 && first.stop(),
    });
    await first.run();
    expect(saved!.spectra.map((r) => r.runKey)).toEqual(['risotto', 'he']);
    // The signal record before BatchNorm modes and bands: summed norms per block.
    const old = { runKey: 'risotto', step: 0, blocks: [{ name: 'stage1.block0', normA: 1, normB: 1, cosine: 0.5 }] };
    saved!.signals.push(old as unknown as ComparisonCheckpoint['signals'][number]);
    const resumed = await new Comparison(ctx, exp, data, { resumeFrom: saved }).run();
    expect(resumed.phase).toBe('finished');
    expect(resumed.signals.map((r) => r.runKey)).toEqual(['risotto', 'he']);
    expect(resumed.signals.every((r) => Array.isArray(r.layers))).toBe(true);
    expect(resumed.spectra).toHaveLength(2);
    expect(resumed.warnings.join('\n')).toMatch(/1 diagnostic measurement saved by an older version of the lab could not be shown/);
  });

  it('keeps training the other runs when one cannot build or diverges', async () => {
    const ctx = await gpuTestContext();
    // Width 5 is odd: Risotto cannot build it; He can. A huge learning rate makes He diverge.
    const broken = await new Comparison(
      ctx,
      tiny({
        model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 5, skip: 'B', batchNorm: false },
      }),
      data,
    ).run();
    expect(broken.runs[0].status).toBe('failed');
    expect(broken.runs[0].message).toMatch(/even|width/i);
    expect(broken.runs[1].status).toBe('finished');
    expect(broken.runs[1].train).toHaveLength(6);

    // The largest learning rate an experiment allows, on blocks that start 100x amplified.
    const loud = { aRes: 100, aSkip: 100 };
    const wild = await new Comparison(
      ctx,
      tiny({
        optimizer: { kind: 'sgd', lr: 10, momentum: 0.9, weightDecay: 0 },
        schemes: [
          { id: 'he', model: loud },
          { id: 'fixup', model: loud },
        ],
      }),
      data,
      { readEvery: 1 },
    ).run();
    for (const r of wild.runs) {
      expect(r.status).toBe('diverged');
      expect(r.divergedAt).toBeGreaterThan(0);
      expect(r.message).toMatch(/NaN|Inf|loss|gradient/);
      expect(r.train.length).toBe(r.divergedAt);
    }
  });

  it('keeps the weights finished runs ended with, for export after the GPU memory is freed', async () => {
    const ctx = await gpuTestContext();
    const exp = tiny();
    const weightsAfter = async () => {
      const cmp = new Comparison(ctx, exp, data);
      await cmp.run();
      return cmp.runWeights('risotto');
    };
    const [a, b] = [await weightsAfter(), await weightsAfter()];
    expect(a.card.step).toBe(exp.steps);
    // Deterministic training: the same final bytes twice, and not the initial weights.
    expect(Buffer.from(a.safetensors).equals(Buffer.from(b.safetensors))).toBe(true);
    const model = buildResNet(resnetConfigFor(exp, exp.schemes[0], datasetShape(data)).config, 1);
    const trained = importWeights(model, a.safetensors);
    const initial = importWeights(model, initialWeights(exp, exp.schemes[0], datasetShape(data)).safetensors);
    const stem = model.params.find((p) => p.kind === 'stemConv')!.id;
    expect([...trained.get(stem)!].every(Number.isFinite)).toBe(true);
    expect(trained.get(stem)).not.toEqual(initial.get(stem));
  });

  // Once every kind of event has happened (steps, metrics reads, checkpoints, evaluations,
  // a diagnostics measurement) the buffer pool allocates nothing more and the bytes in use
  // do not move; a leak in any of them (a buffer per checkpoint, read or evaluation) climbs.
  it('keeps GPU memory flat while training, and releases all of it at the end', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const samples: { step: number; allocatedBytes: number; allocatedBuffers: number; inUseBytes: number }[] = [];
    const exp = tiny({ steps: 24, evalEvery: 7, evalBatches: 2, spectrumAt: [10] });
    const end = await new Comparison(ctx, exp, data, {
      readEvery: 1,
      checkpointEvery: 5,
      onUpdate: (s) => {
        if (s.phase !== 'running' || s.step === 0) return;
        const { allocatedBytes, allocatedBuffers, inUseBytes } = ctx.pool.getStats();
        samples.push({ step: s.step, allocatedBytes, allocatedBuffers, inUseBytes });
      },
    }).run();
    expect(end.runs.map((r) => r.status)).toEqual(['finished', 'finished']);
    expect(end.spectra.length).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => s.step)).size).toBe(exp.steps); // every step was read
    // From step 12 on, each kind of event has happened (checkpoint at 5, evaluation at 7, diagnostics at 10).
    const settled = samples.filter((s) => s.step >= 12);
    const { allocatedBytes, allocatedBuffers, inUseBytes } = settled[0];
    for (const s of settled) expect(s).toEqual({ step: s.step, allocatedBytes, allocatedBuffers, inUseBytes });
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });
});
