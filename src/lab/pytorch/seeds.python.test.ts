// The PyTorch export of an experiment over 2 seeds: one weights file per run and seed (a
// later seed's are a one-seed export's with that seed), and train.py trains every run with
// every seed, writing the lab's CSV columns (seed included) that import back per seed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, runsToCsv } from '../metricsExport';
import type { PytorchConfig } from './pytorchConfig';
import { csvRuns, experiment, py, run, writePackage } from './pythonTesting';
import { README_COMMANDS } from './readme';

beforeAll(() => {
  py();
});

const TWO = { schemes: [{ id: 'risotto' as const }, { id: 'he' as const }] };

describe('PyTorch export with seeds', () => {
  it('one weights file per run and seed; train.py trains each, and its CSV imports back per seed', () => {
    const exp = { ...experiment('B', false, undefined, TWO), seeds: 2 };
    const dir = writePackage(exp);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as PytorchConfig;
    expect(config.runs.map((r) => r.seeds.map((s) => [s.seed, s.weights]))).toEqual([
      [
        [11, 'weights/risotto.safetensors'],
        [12, 'weights/risotto_seed2.safetensors'],
      ],
      [
        [11, 'weights/he.safetensors'],
        [12, 'weights/he_seed2.safetensors'],
      ],
    ]);
    // Seed 2 of the experiment is what a one-seed experiment with seed 12 starts from.
    const alone = writePackage({ ...experiment('B', false, undefined, TWO), seed: 12 });
    for (const s of ['risotto', 'he']) {
      const a = readFileSync(join(dir, `weights/${s}_seed2.safetensors`));
      expect(a.equals(readFileSync(join(alone, `weights/${s}.safetensors`))), s).toBe(true);
      expect(a.equals(readFileSync(join(dir, `weights/${s}.safetensors`))), s).toBe(false);
    }

    run(README_COMMANDS.single, dir);
    const text = readFileSync(join(dir, 'runs/pytorch/metrics.csv'), 'utf8');
    const { runs, warnings } = csvRuns(dir, 'runs/pytorch/metrics.csv', exp);
    expect(warnings).toEqual([]);
    // The lab's columns, then the history columns the lab writes for the same runs.
    expect(text.split('\n')[0].startsWith(CSV_COLUMNS.join(','))).toBe(true);
    expect(text.split('\n')[0]).toBe(runsToCsv(runs).split('\n')[0]);
    expect(runs.map((r) => [r.key, r.seedIndex, r.seed, r.status, r.train.length])).toEqual([
      ['pytorch:risotto', 0, 11, 'finished', 4],
      ['pytorch:risotto@seed2', 1, 12, 'finished', 4],
      ['pytorch:he', 0, 11, 'finished', 4],
      ['pytorch:he@seed2', 1, 12, 'finished', 4],
    ]);
    expect(runs[0].train[0].loss).not.toBe(runs[1].train[0].loss);
  });
});
