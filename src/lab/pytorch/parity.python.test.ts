// The PyTorch export with real PyTorch on the CPU, part 1: check_parity.py passes for
// Type B / C, with and without BatchNorm, 3 and 4 stages, every scheme, under SGD,
// Nesterov with clipping and AdamW (forward outputs and the first two steps), and
// fails when the hyperparameters differ; train.py's schedule equals the lab's.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { MixupStream } from '../../data/mixup';
import { makeLrFunction, type LrSchedule } from '../../nn/schedule';
import type { OptimizerConfig } from '../../nn/optimizerConfig';
import type { ExperimentConfig } from '../experimentConfig';
import { PARITY_BATCH } from './parity';
import { experiment, FOUR_STAGES, py, SCHEMES, sh, writePackage } from './pythonTesting';
import { README_COMMANDS } from './readme';

beforeAll(() => {
  py();
});

interface ParityReport {
  ok: boolean;
  results: { run: string; ok: boolean; errors: Record<string, Record<string, number>> }[];
}

function parity(dir: string): { status: number | null; report: ParityReport } {
  const r = sh(`${README_COMMANDS.parity} --json`, dir);
  if (r.status !== 0 && r.status !== 1) throw new Error(`check_parity.py crashed (exit ${r.status}):\n${r.out.slice(-3000)}`);
  return { status: r.status, report: JSON.parse(r.out) as ParityReport };
}

const NESTEROV_CLIP: OptimizerConfig = { kind: 'sgd-nesterov', lr: 0.2, momentum: 0.8, weightDecay: 1e-3, clipNorm: 0.5 };
const ADAMW: OptimizerConfig = { kind: 'adamw', lr: 0.01, weightDecay: 0.05 };

describe.each([
  ['B', false, undefined, {}],
  ['B', true, NESTEROV_CLIP, {}],
  ['C', false, ADAMW, {}],
  ['C', true, undefined, FOUR_STAGES],
] as const)('parity, Type %s, BatchNorm %s, optimizer %o, %o', (skip, bn, optimizer, over) => {
  it('PyTorch with the exported weights gives the lab logits and features (train and eval mode) and the same first two steps', () => {
    const { status, report } = parity(writePackage(experiment(skip, bn, optimizer, over)));
    expect(report.results.map((r) => r.run)).toEqual([...SCHEMES]);
    for (const r of report.results) {
      expect(Object.keys(r.errors.float32).sort()).toEqual(['eval.features', 'eval.logits', 'train.features', 'train.logits']);
      expect(Object.keys(r.errors.float64)).toContain('steps.deltaSample');
      for (const e of Object.values(r.errors.float32)) expect(e).toBeLessThan(1e-4);
      for (const e of Object.values(r.errors.float64)) expect(e).toBeLessThan(1e-6);
    }
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
  });
});

describe('parity of the other schemes', () => {
  it('ReZero, the ablations and Risotto with options match too', () => {
    const schemes: ExperimentConfig['schemes'] = [{ id: 'rezero' }, { id: 'deltaOrthogonal' }, { id: 'looksLinearNoCorrection' }, { id: 'risotto', options: { aRes: 0.5, aSkip: 2, permutation: 'random' } }];
    const { status, report } = parity(writePackage(experiment('C', false, undefined, { schemes })));
    expect(report.results.map((r) => r.run)).toEqual(['rezero', 'deltaOrthogonal', 'looksLinearNoCorrection', 'risotto(aRes=0.5,aSkip=2,permutation=random)']);
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(status).toBe(0);
  });
});

describe('parity of bottleneck models and the scalar parameter group', () => {
  const bottleneck = (skip: 'B' | 'C', stem: 'cifar' | 'imagenet', batchNorm: boolean): Partial<ExperimentConfig> => ({
    model: { preset: 'custom', blocksPerStage: [1, 2, 1], block: 'bottleneck', stem, width: 8, skip, batchNorm },
  });

  it('Type C bottlenecks behind the ImageNet stem, every scheme, Fixup scalars at its 0.1 lr without decay', () => {
    const schemes: ExperimentConfig['schemes'] = [{ id: 'risotto' }, { id: 'he' }, { id: 'fixup' }, { id: 'skipinit' }, { id: 'rezero' }];
    const optimizer: OptimizerConfig = { kind: 'sgd-nesterov', lr: 0.2, momentum: 0.9, weightDecay: 5e-3, scalarWeightDecay: false };
    const dir = writePackage(experiment('C', false, optimizer, { ...bottleneck('C', 'imagenet', false), schemes }));
    const runs = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { runs: { scheme: string; scalarGroup?: unknown }[] }).runs;
    expect(runs.find((r) => r.scheme === 'fixup')!.scalarGroup).toEqual({ lrScale: 0.1, weightDecay: 0 });
    expect(runs.find((r) => r.scheme === 'he')!.scalarGroup).toEqual({ lrScale: 1, weightDecay: 0 });
    const { status, report } = parity(dir);
    expect(report.results.map((r) => r.run)).toEqual(['risotto', 'he', 'fixup', 'skipinit', 'rezero']);
    for (const r of report.results) {
      for (const e of Object.values(r.errors.float32)) expect(e, r.run).toBeLessThan(1e-4);
      for (const e of Object.values(r.errors.float64)) expect(e, r.run).toBeLessThan(1e-6);
    }
    expect(status).toBe(0);
  });

  it('Type B bottlenecks with BatchNorm and a chosen scalar lr (AdamW)', () => {
    const schemes: ExperimentConfig['schemes'] = [{ id: 'he' }, { id: 'fixup' }, { id: 'skipinit' }];
    const optimizer: OptimizerConfig = { kind: 'adamw', lr: 0.01, weightDecay: 0.05, scalarLr: 0.3 };
    const { status, report } = parity(writePackage(experiment('B', true, optimizer, { ...bottleneck('B', 'cifar', true), schemes })));
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(status).toBe(0);
  });

  it('a mismatch when train.py would train the scalars at the full rate', () => {
    const dir = writePackage(experiment('C', false, undefined, { ...bottleneck('C', 'cifar', false), schemes: [{ id: 'fixup' }] }));
    const path = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(path, 'utf8'));
    delete cfg.runs[0].scalarGroup;
    writeFileSync(path, JSON.stringify(cfg));
    const { status, report } = parity(dir);
    expect(status).toBe(1);
    expect(report.results[0].errors.float64['steps.deltaNorm']).toBeGreaterThan(1e-3);
  });
});

describe('parity with mixup', () => {
  /** The experiment's seed where the lab's parity draws mix both steps' rows (a batch of 2
   * is left unmixed by the identity permutation half the time). */
  const mixedSeed = () => {
    for (let seed = 1; ; seed++) {
      const s = new MixupStream(1, seed);
      if ([0, 1].every((i) => s.draw(0, i, PARITY_BATCH).perm[0] === 1)) return seed;
    }
  };

  it("mixup.py mixes the probe and weights the loss as the lab does (the lab's draws in parity.safetensors); without mixup it mismatches", () => {
    const base = experiment('B', true, undefined, { schemes: [{ id: 'he' }, { id: 'fixup' }] });
    const exp: ExperimentConfig = { ...base, seed: mixedSeed(), augment: { ...base.augment, mixup: 1 } };
    const dir = writePackage(exp);
    const path = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(path, 'utf8'));
    expect(cfg.training.augment.mixup).toBe(1);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/Mixup with alpha 1: .*not the same numbers/);
    const { status, report } = parity(dir);
    for (const r of report.results) for (const e of Object.values(r.errors.float64)) expect(e, r.run).toBeLessThan(1e-6);
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
    cfg.training.augment.mixup = 0;
    writeFileSync(path, JSON.stringify(cfg));
    const plain = parity(dir);
    expect(plain.status).toBe(1);
    for (const r of plain.report.results) expect(r.errors.float64['steps.loss'], r.run).toBeGreaterThan(1e-3);
  });
});

describe('parity check can fail', () => {
  it('reports a mismatch (exit 1) when train.py would use other hyperparameters than the lab', () => {
    const dir = writePackage(experiment('B', false));
    const path = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(path, 'utf8'));
    cfg.training.optimizer.weightDecay = 0.05;
    writeFileSync(path, JSON.stringify(cfg));
    const { status, report } = parity(dir);
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    for (const r of report.results.filter((x) => x.run !== 'fixup')) expect(r.errors.float64['steps.deltaNorm']).toBeGreaterThan(1e-3);
    for (const r of report.results) expect(r.errors.float32['eval.logits']).toBeLessThan(1e-4);
  });
});

describe('schedule', () => {
  it("train.py's learning rate equals the lab's at every step", () => {
    const cases: { schedule: LrSchedule; warmup: number }[] = [
      { schedule: { kind: 'cosine', totalSteps: 50, minLr: 0.001 }, warmup: 5 },
      { schedule: { kind: 'cosine', totalSteps: 7 }, warmup: 0 },
      { schedule: { kind: 'step', milestones: [10, 20], gamma: 0.1 }, warmup: 3 },
      { schedule: { kind: 'constant' }, warmup: 4 },
    ];
    const script = `import json, sys; sys.path.insert(0, 'pytorch'); from train import lr_at
cases = json.load(sys.stdin)
print(json.dumps([[lr_at({'warmupSteps': c['warmup'], 'schedule': c['schedule']}, 0.1, s, c['schedule'].get('totalSteps', 50)) for s in range(1, 61)] for c in cases]))`;
    const r = spawnSync(py().python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', env: py().env });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as number[][];
    cases.forEach((c, i) => {
      const lab = makeLrFunction(0.1, c.schedule, c.warmup);
      got[i].forEach((v, k) => expect(v).toBeCloseTo(lab(k + 1), 14));
    });
  });
});
