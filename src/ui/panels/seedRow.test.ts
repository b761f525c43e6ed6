import { describe, expect, it } from 'vitest';
import type { RunState } from '../../lab/runState';
import { summarizeRuns } from '../../lab/seedStats';
import { seedsRow, summaryCells } from './seedRow';

const run = (key: string, seedIndex: number, losses: number[], acc: number, over: Partial<RunState> = {}): RunState => ({
  key,
  seedIndex,
  scheme: { id: 'he' },
  label: 'He',
  status: 'finished',
  step: losses.length,
  paramCount: 10,
  train: losses.map((loss, i) => ({ step: i + 1, epoch: 0, loss, acc: 0.5, lr: 0.1, gradNorm: 1 })),
  test: [{ step: losses.length, loss: 1, acc }],
  ...over,
});

describe('runs table over seeds', () => {
  it('one row per run: mean ± std of the latest values, statuses and messages per seed', () => {
    const [s] = summarizeRuns(
      [
        run('he', 0, [2, 0.4], 0.5),
        run('he@seed2', 1, [2, 0.6], 0.7),
        run('he@seed3', 2, [2, NaN], 0.1, { status: 'diverged', divergedAt: 2, message: 'loss became NaN at step 2' }),
      ],
      0.5,
    );
    const row = seedsRow(s, 0, 0);
    expect(row.key).toBe('he');
    expect(row.loss).toBe('0.5 ± 0.1414');
    expect(row.testAcc).toBe('43.3% ± 30.6%');
    expect(row.status).toBe('finished ×2, diverged');
    expect(row.divergedAt).toBe('2 (seed 3)');
    expect(row.message).toBe('seed 3: loss became NaN at step 2');
    expect(summaryCells(s)).toEqual({ seeds: '3', bestTestAcc: '43.3% ± 30.6%', toTarget: '2 (1 of 3 seeds)' });
  });

  it('a run with one seed keeps its own row, without ±', () => {
    const [s] = summarizeRuns([run('he', 0, [2, 1], 0.5)], 0.5);
    expect(seedsRow(s, 0, 0).loss).toBe('1');
    expect(summaryCells(s)).toEqual({ seeds: '1', bestTestAcc: '50.0%', toTarget: 'not reached' });
  });
});
