import { describe, expect, it } from 'vitest';
import type { RunState } from '../../lab/runState';
import { runRow } from './runRow';

const run = (over: Partial<RunState>): RunState => ({
  key: 'risotto',
  scheme: { id: 'risotto' },
  label: 'Risotto',
  status: 'running',
  step: 120,
  paramCount: 1000,
  train: [
    { step: 119, epoch: 1, loss: 2.5, acc: 0.1, lr: 0.05, gradNorm: 1 },
    { step: 120, epoch: 1, loss: 1.23456, acc: 0.5625, lr: 0.05, gradNorm: 1 },
  ],
  test: [{ step: 100, loss: 1.4, acc: 0.4821 }],
  ...over,
});

describe('runRow', () => {
  it('shows the last train and eval points and the run’s share of a step', () => {
    expect(runRow(run({}), 10, 4)).toEqual({
      key: 'risotto',
      schemeId: 'risotto',
      label: 'Risotto',
      status: 'running',
      step: '120',
      loss: '1.235',
      trainAcc: '56.3%',
      testAcc: '48.2%',
      stepTime: '25 ms',
      divergedAt: '–',
      message: '',
    });
  });
  it('a diverged run shows where and why, and no step time', () => {
    const r = runRow(run({ status: 'diverged', divergedAt: 57, message: 'loss became NaN', test: [] }), 10, 3);
    expect(r).toMatchObject({ divergedAt: '57', message: 'loss became NaN', stepTime: '–', testAcc: '–' });
  });
  it('a run with no points yet shows dashes', () => {
    expect(runRow(run({ status: 'pending', step: 0, train: [], test: [] }), 0, 0)).toMatchObject({
      loss: '–',
      trainAcc: '–',
      stepTime: '–',
    });
  });
  it('an imported run says where it ran and from which file', () => {
    const r = runRow(
      {
        ...run({ key: 'pytorch:risotto', status: 'finished', label: 'Risotto (PyTorch)' }),
        external: { tool: 'PyTorch', file: 'metrics.csv', importedAt: '' },
      } as RunState,
      10,
      0,
    );
    expect(r).toMatchObject({ source: 'PyTorch, metrics.csv', stepTime: '–', label: 'Risotto (PyTorch)' });
    expect(runRow(run({}), 10, 1).source).toBeUndefined();
  });
});
