import { describe, expect, it } from 'vitest';
import type { RunState, TrainPoint } from './runState';
import { instanceKey, runKeyOf, seedOf } from './seeds';
import { meanStd, stepsToTarget, summarizeRuns } from './seedStats';

const train = (losses: number[]): TrainPoint[] => losses.map((loss, i) => ({ step: i + 1, epoch: 0, loss, acc: 0, lr: 0.1, gradNorm: 1 }));

function run(key: string, losses: number[], testAcc: number[]): RunState {
  return {
    key,
    scheme: { id: key.startsWith('he') ? 'he' : 'risotto' },
    label: key.startsWith('he') ? 'He' : 'Risotto',
    status: 'finished',
    step: losses.length,
    paramCount: 10,
    train: train(losses),
    test: testAcc.map((acc, i) => ({ step: i + 1, loss: 1, acc })),
  };
}

describe('seed derivation', () => {
  it('seed 0 is the experiment seed, seed k is seed + k, wrapping at 2^32', () => {
    expect(seedOf(7, 0)).toBe(7);
    expect(seedOf(7, 3)).toBe(10);
    expect(seedOf(2 ** 32 - 1, 2)).toBe(1);
  });

  it('instance keys: the run key for the first seed, @seedN after; the run key comes back', () => {
    expect(instanceKey('he[bn=1]', 0)).toBe('he[bn=1]');
    expect(instanceKey('he[bn=1]', 1)).toBe('he[bn=1]@seed2');
    for (const k of ['he[bn=1]', 'risotto(aRes=0.5)', 'pytorch:fixup'])
      for (const i of [0, 1, 9]) expect(runKeyOf(instanceKey(k, i))).toBe(k);
  });
});

describe('aggregation over seeds', () => {
  it('mean and sample std (n - 1), non-finite values left out', () => {
    const s = meanStd([1, 2, 3, 4, Number.NaN]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(meanStd([2]).std).toBeNaN();
    expect(meanStd([2]).mean).toBe(2);
    expect(meanStd([]).mean).toBeNaN();
  });

  it('steps to target: the first step at or below it, undefined when never reached', () => {
    expect(stepsToTarget(train([2, 1.5, 0.5, 0.7, 0.2]), 0.5)).toBe(3);
    expect(stepsToTarget(train([2, 1.5]), 0.5)).toBeUndefined();
  });

  it('per run over its seeds: final loss, best test accuracy, steps to target', () => {
    const runs = [
      run('risotto', [2, 0.4, 0.3], [0.5, 0.7, 0.6]),
      run('risotto@seed2', [2, 0.8, 0.5], [0.4, 0.6, 0.8]),
      run('he', [2, 1, 0.9], [0.1, 0.2, 0.3]),
    ];
    const [ris, he] = summarizeRuns(runs, 0.5);
    expect(ris.key).toBe('risotto');
    expect(ris.seeds.map((r) => r.key)).toEqual(['risotto', 'risotto@seed2']);
    expect(ris.finalLoss.mean).toBeCloseTo(0.4, 12);
    expect(ris.finalLoss.std).toBeCloseTo(Math.SQRT1_2 * 0.2, 12);
    expect(ris.bestTestAcc.mean).toBeCloseTo(0.75, 12);
    expect(ris.stepsToTarget).toEqual({ mean: 2.5, std: Math.SQRT1_2, n: 2 });
    expect(he.seeds).toHaveLength(1);
    expect(he.finalLoss).toEqual({ mean: 0.9, std: Number.NaN, n: 1 });
    expect(he.stepsToTarget.n).toBe(0);
  });
});
