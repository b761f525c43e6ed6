import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { parseExport } from './importExport';
import { toExportJson } from './metricsExport';
import type { ComparisonSnapshot } from './runState';

const snap: ComparisonSnapshot = {
  phase: 'finished',
  step: 2,
  totalSteps: 2,
  stepsPerSecond: 1,
  imagesPerSecond: 1,
  etaSeconds: 0,
  compileMs: 1,
  gpuBytesInUse: 0,
  recoveredAt: [],
  spectra: [],
  signals: [],
  warnings: [],
  runs: [
    {
      key: 'risotto',
      scheme: { id: 'risotto' },
      label: 'Risotto',
      status: 'finished',
      step: 2,
      paramCount: 5,
      train: [
        { step: 1, epoch: 0, loss: 2, acc: 0.1, lr: 0.1, gradNorm: 1 },
        { step: 2, epoch: 0, loss: 1.5, acc: 0.2, lr: 0.1, gradNorm: 1 },
      ],
      test: [{ step: 2, loss: 1.6, acc: 0.3 }],
    },
  ],
};

describe('results import', () => {
  it('reads every run and seed back, each with its own scheme', () => {
    const exp = { ...defaultExperiment(), steps: 2, seeds: 2, schemes: [{ id: 'risotto' as const }, { id: 'he' as const }] };
    const base = snap.runs[0];
    const runs = [
      { ...base, seedIndex: 0, seed: 1 },
      { ...base, key: 'risotto@seed2', seedIndex: 1, seed: 2 },
      { ...base, key: 'he', scheme: { id: 'he' as const }, seedIndex: 0, seed: 1 },
      { ...base, key: 'he@seed2', scheme: { id: 'he' as const }, seedIndex: 1, seed: 2 },
    ];
    const back = parseExport(JSON.stringify(toExportJson(exp, { ...snap, runs })));
    expect(back.experiment.seeds).toBe(2);
    expect(back.snapshot.runs.map((r) => [r.key, r.scheme.id, r.seedIndex, r.seed])).toEqual([
      ['risotto', 'risotto', 0, 1],
      ['risotto@seed2', 'risotto', 1, 2],
      ['he', 'he', 0, 1],
      ['he@seed2', 'he', 1, 2],
    ]);
  });

  it('restores what the export wrote', () => {
    const exp = { ...defaultExperiment(), steps: 2, schedule: { kind: 'constant' as const }, warmupSteps: 0 };
    const json = JSON.stringify(toExportJson(exp, snap));
    const back = parseExport(json);
    expect(back.experiment.steps).toBe(2);
    expect(back.snapshot.runs[0].train).toEqual(snap.runs[0].train);
    expect(back.snapshot.runs[0].test).toEqual(snap.runs[0].test);
    expect(back.snapshot.phase).toBe('finished');
  });

  it('refuses files that are not lab exports, with a reason', () => {
    expect(() => parseExport('{"hello": 1}')).toThrow(/not a Risotto Lab results export/);
    expect(() => parseExport('not json')).toThrow(/not valid JSON/);
    expect(() => parseExport({ format: 'risotto-lab-experiment', formatVersion: 7 })).toThrow(/version 7/);
    expect(() => parseExport({ format: 'risotto-lab-experiment', formatVersion: 1, experiment: {}, runs: [] })).toThrow(/no runs/);
  });
});
