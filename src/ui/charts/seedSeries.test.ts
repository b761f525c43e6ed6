import { describe, expect, it } from 'vitest';
import type { RunState } from '../../lab/runState';
import { acrossSeeds, seedCurves, withBands } from './seedSeries';

function run(key: string, seedIndex: number, losses: number[], testAcc: number[]): RunState {
  return {
    key,
    seedIndex,
    scheme: { id: 'he' },
    label: 'He',
    status: 'finished',
    step: losses.length,
    paramCount: 1,
    train: losses.map((loss, i) => ({ step: i + 1, epoch: 0, loss, acc: 0.5, lr: 0.1, gradNorm: 1 })),
    test: testAcc.map((acc, i) => ({ step: 2 * (i + 1), loss: 1, acc })),
  };
}

describe('seed curves', () => {
  it('mean, min and max per x over the series that have a finite value there', () => {
    const b = acrossSeeds([
      { xs: [1, 2, 3], ys: [1, 2, 3] },
      { xs: [1, 2], ys: [3, Number.NaN] },
    ]);
    expect([...b.xs]).toEqual([1, 2, 3]);
    expect([...b.mean]).toEqual([2, 2, 3]);
    expect([...b.min]).toEqual([1, 2, 3]);
    expect([...b.max]).toEqual([3, 2, 3]);
  });

  it('the mean view draws one run per run key, the mean of its seeds, and keeps the seeds for the band', () => {
    const runs = [run('he', 0, [2, 1], [0.2]), run('he@seed2', 1, [4, 3], [0.6]), run('fixup', 0, [1, 1], [])];
    const mean = seedCurves(runs, 'mean');
    expect(mean.runs.map((r) => r.key)).toEqual(['he', 'fixup']);
    expect(mean.runs[0].train.map((p) => p.loss)).toEqual([3, 2]);
    expect(mean.runs[0].test.map((p) => p.acc)).toEqual([0.4]);
    expect([...mean.seeds.keys()]).toEqual(['he']);
    expect(mean.seeds.get('he')).toHaveLength(2);
    const every = seedCurves(runs, 'every');
    expect(every.runs.map((r) => r.key)).toEqual(['he', 'he@seed2', 'fixup']);
    expect(every.seeds.size).toBe(0);
  });

  it('rows carry [lo, hi] for the band where both are there', () => {
    const rows = withBands(
      [
        { x: 1, lo0: 1, hi0: 2 },
        { x: 2, lo0: 1 },
      ],
      1,
    );
    expect(rows[0].band0).toEqual([1, 2]);
    expect(rows[1].band0).toBeUndefined();
  });
});
