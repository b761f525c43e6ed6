// The history leaves in the results CSV and JSON and comes back the same; a damaged
// history is refused with what is wrong and how to fix it.
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { parseMetricsCsv } from './externalRuns';
import { parseExport } from './importExport';
import { runsToCsv, toExportJson } from './metricsExport';
import type { DiagnosticPoint, RunHistory } from './runHistory';
import type { ComparisonSnapshot, RunState } from './runState';

const point = (step: number, bnStats: 'batch' | 'running', sigmaMax: number): DiagnosticPoint => ({
  step,
  bnStats,
  sigmaMax,
  sigmaMin: 0.5,
  maxAbsDev: sigmaMax - 1,
  rank: 12,
  balance: 0.75,
  lastQ: 1.25,
  lastCosine: Number.NaN,
});

const history: RunHistory = {
  blocks: ['stem', 'stage1.block0', 'stage1.block1', 'head'],
  gradNorms: {
    stride: 2,
    seen: 3,
    steps: [1, 3],
    rows: [
      [0.5, 1e-3, 2.5e-7, 3],
      [0.25, 2e-3, Number.NaN, 1.5],
    ],
  },
  scalarNames: ['stage1.block0.aRes', 'stage1.block1.aRes'],
  scalars: {
    stride: 1,
    seen: 3,
    steps: [1, 2, 3],
    rows: [
      [0.99, 1],
      [0.98, 1.01],
      [0.97, 1.02],
    ],
  },
  diagnostics: [point(0, 'batch', 2), point(0, 'running', 3), point(3, 'batch', 4), point(3, 'running', 5)],
};

const run: RunState = {
  key: 'he[bn=1,lres=1]',
  scheme: { id: 'he', model: { batchNorm: true, learnRes: true } },
  label: 'He + BN',
  status: 'finished',
  step: 3,
  paramCount: 10,
  train: [1, 2, 3].map((step) => ({ step, epoch: 0, lr: 0.1, loss: 2 / step, acc: 0.25, gradNorm: step })),
  test: [{ step: 3, loss: 0.5, acc: 0.5 }],
  history,
};

const snapshot = (runs: RunState[]): ComparisonSnapshot => ({
  phase: 'finished',
  step: 3,
  totalSteps: 3,
  stepsPerSecond: 1,
  imagesPerSecond: 8,
  etaSeconds: 0,
  compileMs: 5,
  gpuBytesInUse: 0,
  recoveredAt: [],
  spectra: [],
  signals: [],
  warnings: [],
  runs,
});

const src = { tool: 'PyTorch', file: 'metrics.csv' };
const exp = { ...defaultExperiment(), steps: 3, schemes: [run.scheme] };
const sameSteps = (a: RunHistory, b: RunHistory) => {
  expect(a.blocks).toEqual(b.blocks);
  expect(a.gradNorms.steps).toEqual(b.gradNorms.steps);
  expect(a.gradNorms.rows).toEqual(b.gradNorms.rows);
  expect(a.scalarNames).toEqual(b.scalarNames);
  expect(a.scalars.steps).toEqual(b.scalars.steps);
  expect(a.scalars.rows).toEqual(b.scalars.rows);
  expect(a.diagnostics).toEqual(b.diagnostics);
};

describe('history in the results CSV', () => {
  it('writes block, scalar and diagnostic columns and reads them back', () => {
    const csv = runsToCsv([run]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toContain(',block_grad_norm:stem,block_grad_norm:stage1.block0,block_grad_norm:stage1.block1,block_grad_norm:head,');
    expect(lines[0].endsWith(',scalar:stage1.block0.aRes,scalar:stage1.block1.aRes')).toBe(true);
    // Step 0 (init diagnostics in two modes) and a second mode at step 3: history-only rows.
    expect(lines).toHaveLength(1 + 2 + 3 + 1);
    const { runs, warnings } = parseMetricsCsv(csv, src, exp);
    expect(warnings).toEqual([]);
    expect(runs[0].train).toEqual(run.train);
    expect(runs[0].test).toEqual(run.test);
    sameSteps(runs[0].history!, history);
  });

  it("keeps each seed's history with its seed", () => {
    const other: RunHistory = {
      ...history,
      gradNorms: { ...history.gradNorms, rows: history.gradNorms.rows.map((r) => r.map((v) => v * 2)) },
    };
    const seeds = [
      { ...run, seedIndex: 0, seed: 7 },
      { ...run, key: `${run.key}@seed2`, seedIndex: 1, seed: 8, history: other },
    ];
    const { runs } = parseMetricsCsv(runsToCsv(seeds), src, exp);
    expect(runs).toHaveLength(2);
    sameSteps(runs[0].history!, history);
    sameSteps(runs[1].history!, other);
  });

  it('says what is wrong with a bad diagnostic row', () => {
    const csv = runsToCsv([run]).replace(',running,', ',runnning,');
    expect(() => parseMetricsCsv(csv, src)).toThrow(/line 3: diag_bn_stats must be "batch" or "running".*"runnning"/);
    const bad = runsToCsv([run]).replace(',0.001,', ',lots,');
    expect(() => parseMetricsCsv(bad, src)).toThrow(/block_grad_norm:stage1.block0 must be a number, got "lots"/);
    const partial = runsToCsv([run]).replace(',sigma_min,', ',sigma_minimum,');
    expect(() => parseMetricsCsv(partial, src)).toThrow(
      /the diagnostic columns are incomplete: expected all of diag_bn_stats, .*write them all \(empty cells are fine\) or none/,
    );
  });
});

describe('history in the results JSON', () => {
  it('exports and imports every series', () => {
    const text = JSON.stringify(toExportJson(exp, snapshot([run])));
    const back = parseExport(text).snapshot.runs[0];
    sameSteps(back.history!, history);
    expect(back.history!.gradNorms.stride).toBe(2);
  });

  it('imports an export without history, and refuses a damaged one with the field and the fix', () => {
    const plain = JSON.parse(JSON.stringify(toExportJson(exp, snapshot([{ ...run, history: undefined }]))));
    expect(parseExport(plain).snapshot.runs[0].history).toBeUndefined();
    const damaged = JSON.parse(JSON.stringify(toExportJson(exp, snapshot([run]))));
    damaged.runs[0].history.gradNorms.rows[1].pop();
    expect(() => parseExport(damaged)).toThrow(
      /run 1 \(he\[bn=1,lres=1\]\): history.gradNorms.rows\[1\]: must hold 4 values, one per name; export the results again/,
    );
    damaged.runs[0].history = { ...history, diagnostics: [{ ...point(1, 'batch', 1), bnStats: 'eval' }] };
    expect(() => parseExport(damaged)).toThrow(/history.diagnostics\[0\].bnStats: must be "batch" or "running"/);
  });
});
