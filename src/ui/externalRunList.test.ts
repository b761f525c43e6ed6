// Imported runs on the page: a re-import replaces by key, remove drops one, and the
// shown list puts the comparison's runs first without letting an import hide one.
import { describe, expect, it } from 'vitest';
import type { ExternalRun } from '../lab/externalRuns';
import type { RunState } from '../lab/runState';
import { mergeExternalRuns, removeExternalRun, shownRuns } from './externalRunList';

const ext = (run: string, lastLoss: number, file = 'metrics.csv'): ExternalRun => ({
  key: `pytorch:${run}`,
  scheme: { id: run === 'he' ? 'he' : 'risotto' },
  label: `${run} (PyTorch)`,
  status: 'finished',
  step: 2,
  paramCount: Number.NaN,
  train: [{ step: 2, epoch: 0, lr: 0.1, loss: lastLoss, acc: 0.5, gradNorm: 1 }],
  test: [],
  external: { tool: 'PyTorch', file, importedAt: '2025-01-01T00:00:00.000Z' },
});
const live = (key: string): RunState => ({
  key,
  scheme: { id: 'risotto' },
  label: key,
  status: 'running',
  step: 1,
  paramCount: 10,
  train: [],
  test: [],
});

describe('mergeExternalRuns', () => {
  it('appends new keys in import order', () => {
    const merged = mergeExternalRuns([ext('risotto', 1)], [ext('he', 2), ext('fixup', 3)]);
    expect(merged.map((r) => r.key)).toEqual(['pytorch:risotto', 'pytorch:he', 'pytorch:fixup']);
  });
  it('replaces a run with the same key in place instead of duplicating it', () => {
    const first = [ext('risotto', 1), ext('he', 2)];
    const again = mergeExternalRuns(first, [ext('risotto', 0.5, 'metrics (2).csv')]);
    expect(again.map((r) => r.key)).toEqual(['pytorch:risotto', 'pytorch:he']);
    expect(again[0].train[0].loss).toBe(0.5);
    expect(again[0].external.file).toBe('metrics (2).csv');
    expect(again[1]).toBe(first[1]);
    expect(mergeExternalRuns(again, again)).toEqual(again);
  });
  it('does not change its inputs', () => {
    const current = [ext('risotto', 1)];
    mergeExternalRuns(current, [ext('risotto', 9)]);
    expect(current[0].train[0].loss).toBe(1);
  });
});

describe('removeExternalRun', () => {
  it('drops only the run with that key', () => {
    const runs = [ext('risotto', 1), ext('he', 2)];
    expect(removeExternalRun(runs, 'pytorch:risotto').map((r) => r.key)).toEqual(['pytorch:he']);
    expect(removeExternalRun(runs, 'pytorch:nope')).toEqual(runs);
  });
});

describe('shownRuns', () => {
  it('lists the comparison runs first, then the imported ones', () => {
    const shown = shownRuns([live('risotto'), live('he')], [ext('risotto', 1)]);
    expect(shown.map((r) => r.key)).toEqual(['risotto', 'he', 'pytorch:risotto']);
  });
  it('shows imported runs without any comparison', () => {
    expect(shownRuns(undefined, [ext('he', 1)]).map((r) => r.key)).toEqual(['pytorch:he']);
    expect(shownRuns(undefined, [])).toEqual([]);
  });
  it('returns the live list itself when nothing was imported (charts memoise on it)', () => {
    const runs = [live('risotto')];
    expect(shownRuns(runs, [])).toBe(runs);
  });
  it('never lets an imported run hide a comparison run with the same key', () => {
    const clash = { ...ext('risotto', 1), key: 'risotto' };
    expect(shownRuns([live('risotto')], [clash]).map((r) => r.status)).toEqual(['running']);
  });
});
