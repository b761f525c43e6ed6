import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { runsToCsv, summaryToCsv, toExportJson } from './metricsExport';
import type { RunState } from './runState';

const run = (key: string, steps: number[]): RunState => ({
  key,
  scheme: { id: 'he' },
  label: 'He',
  status: 'finished',
  step: steps.length,
  paramCount: 10,
  train: steps.map((s) => ({ step: s, epoch: 0, loss: 1 / s, acc: 0.5, lr: 0.1, gradNorm: 2 })),
  test: [{ step: steps[steps.length - 1], loss: 0.3, acc: 0.75 }],
});

describe('metrics export', () => {
  it('writes one CSV row per logged step and run, joining test metrics on the step', () => {
    const csv = runsToCsv([run('he', [1, 2, 3]), run('risotto,"x"', [1, 2])])
      .trim()
      .split('\n');
    expect(csv).toHaveLength(1 + 3 + 2);
    const diagnostics = 'diag_bn_stats,sigma_max,sigma_min,max_abs_dev,rank,branch_balance,last_q,last_cosine';
    expect(csv[0]).toBe(`run,seed,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc,${diagnostics}`);
    expect(csv[3]).toBe(`he,,he,finished,3,0,0.1,0.3333333333333333,0.5,2,0.3,0.75${','.repeat(8)}`);
    expect(csv[1].endsWith(','.repeat(10))).toBe(true);
    expect(csv[4].startsWith('"risotto,""x""",')).toBe(true);
  });

  it('exports config, summary and runs as JSON', () => {
    const snap = {
      phase: 'finished' as const,
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
      runs: [run('he', [1, 2, 3])],
    };
    const j = toExportJson(defaultExperiment(), snap, new Date(0));
    expect(j.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(j.runs[0].train).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(j)).summary.phase).toBe('finished');
  });

  it('writes the run key and the seed of every row, and per run mean ± std over its seeds', () => {
    const seeded = (key: string, seedIndex: number, seed: number, losses: number[], acc: number): RunState => ({
      ...run(key, [1, 2]),
      seedIndex,
      seed,
      train: losses.map((loss, i) => ({ step: i + 1, epoch: 0, loss, acc: 0.5, lr: 0.1, gradNorm: 2 })),
      test: [{ step: 2, loss: 0.3, acc }],
    });
    const runs = [seeded('he', 0, 7, [1, 0.4], 0.5), seeded('he@seed2', 1, 8, [0.45, 0.6], 0.7)];
    const csv = runsToCsv(runs).trim().split('\n');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['he,7', 'he,7', 'he,8', 'he,8']);
    const summary = summaryToCsv(runs, 0.5).trim().split('\n');
    expect(summary).toHaveLength(2);
    const row = Object.fromEntries(summary[0].split(',').map((h, i) => [h, summary[1].split(',')[i]]));
    expect(row.run).toBe('he');
    expect(row.seeds).toBe('2');
    expect(Number(row.final_loss_mean)).toBeCloseTo(0.5, 12);
    expect(Number(row.final_loss_std)).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(Number(row.best_test_acc_mean)).toBeCloseTo(0.6, 12);
    expect([row.steps_to_target_mean, row.seeds_reaching_target, row.target_loss]).toEqual(['1.5', '2', '0.5']);
    const snap = { ...JSON.parse(JSON.stringify({ phase: 'finished', step: 2, totalSteps: 2 })), runs } as Parameters<
      typeof toExportJson
    >[1];
    const j = toExportJson({ ...defaultExperiment(), seeds: 2 }, snap);
    expect(j.seedSummary.map((x) => [x.run, x.seeds, x.finalLoss.n])).toEqual([['he', [7, 8], 2]]);
  });
});
