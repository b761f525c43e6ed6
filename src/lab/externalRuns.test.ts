import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { isExternalRun, parseMetricsCsv } from './externalRuns';
import { runsToCsv } from './metricsExport';
import type { RunState } from './runState';

const src = { tool: 'PyTorch', file: 'metrics.csv', importedAt: '2026-11-27T00:00:00.000Z' };

function labRun(key: string, id: RunState['scheme']['id'], options?: Record<string, number>): RunState {
  return {
    key,
    scheme: options ? { id, options } : { id },
    label: id,
    status: 'finished',
    step: 3,
    paramCount: 10,
    train: [1, 2, 3].map((step) => ({ step, epoch: 0, lr: 0.1 / step, loss: 2 / step, acc: 0.1 * step, gradNorm: 1.5 + step })),
    test: [{ step: 3, loss: 0.7, acc: 0.625 }],
  };
}

describe('parseMetricsCsv', () => {
  it('reads the seed column back: one run per run key and seed, in the order written', () => {
    const seeded = (key: string, seedIndex: number, seed: number): RunState => ({ ...labRun(key, 'he'), seedIndex, seed });
    const runs = [seeded('he', 0, 7), seeded('he@seed2', 1, 8), seeded('he[bn=1]', 0, 7), seeded('he[bn=1]@seed2', 1, 8)];
    const { runs: back } = parseMetricsCsv(runsToCsv(runs), src);
    expect(back.map((r) => [r.key, r.seedIndex, r.seed])).toEqual([
      ['pytorch:he', 0, 7],
      ['pytorch:he@seed2', 1, 8],
      ['pytorch:he[bn=1]', 0, 7],
      ['pytorch:he[bn=1]@seed2', 1, 8],
    ]);
    back.forEach((r, i) => expect(r.train).toEqual(runs[i].train));
    // An older CSV without the column: one seed per run.
    const old = runsToCsv([labRun('he', 'he')])
      .replace(/^run,seed,/, 'run,')
      .replace(/\nhe,,/g, '\nhe,');
    expect(parseMetricsCsv(old, src).runs.map((r) => [r.key, r.seedIndex, r.seed])).toEqual([['pytorch:he', 0, undefined]]);
    expect(() => parseMetricsCsv(runsToCsv([seeded('he', 0, 7)]).replace('\nhe,7,', '\nhe,x,'), src)).toThrow(
      'line 2: seed must be a number',
    );
  });

  it('reads back what the lab writes: every point, test joined on its step, keys with commas', () => {
    const runs = [labRun('risotto(aRes=0.5,aSkip=2)', 'risotto', { aRes: 0.5, aSkip: 2 }), labRun('he', 'he')];
    const { runs: back, warnings } = parseMetricsCsv(runsToCsv(runs), src);
    expect(warnings).toEqual([]);
    expect(back.map((r) => r.key)).toEqual(['pytorch:risotto(aRes=0.5,aSkip=2)', 'pytorch:he']);
    expect(back.every(isExternalRun)).toBe(true);
    expect(back[0].label).toBe('Risotto (PyTorch)');
    back.forEach((r, i) => {
      expect(r.train).toEqual(runs[i].train);
      expect(r.test).toEqual(runs[i].test);
      expect(r.step).toBe(3);
      expect(r.external).toEqual(src);
    });
  });

  it('uses the experiment scheme with its options and warns about schemes and lengths that differ', () => {
    const exp = { ...defaultExperiment(), schemes: [{ id: 'risotto' as const, options: { aRes: 0.5 } }] };
    const csv = runsToCsv([labRun('risotto', 'risotto'), labRun('he', 'he')]);
    const { runs, warnings } = parseMetricsCsv(csv, src, exp);
    expect(runs[0].scheme).toEqual({ id: 'risotto', options: { aRes: 0.5 } });
    expect(warnings).toEqual([
      'he: this experiment does not compare he; its curves are shown anyway',
      `the imported runs end at step 3, the experiment has ${exp.steps} steps`,
    ]);
  });

  it("reads Python's nan / inf and turns a run left running into stopped", () => {
    const csv = 'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nhe,he,running,1,0,0.1,nan,0,inf,,\n';
    const [run] = parseMetricsCsv(csv, src).runs;
    expect(run.status).toBe('stopped');
    expect(run.train[0].loss).toBeNaN();
    expect(run.train[0].gradNorm).toBe(Infinity);
    expect(run.test).toEqual([]);
  });

  it.each([
    ['', /is empty/],
    ['a,b\n1,2\n', /lacks the columns run, scheme, status/],
    ['run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\n', /no rows/],
    [
      'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nx,xavier,finished,1,0,0.1,1,0,1,,\n',
      /line 2: unknown scheme "xavier"/,
    ],
    [
      'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nhe,he,finished,1,0,fast,1,0,1,,\n',
      /line 2: lr must be a number, got "fast"/,
    ],
    [
      'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nhe,he,finished,1.5,0,0.1,1,0,1,,\n',
      /line 2: step must be a non-negative integer/,
    ],
    [
      'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nhe,he,finished,1\n',
      /line 2: 4 cells, the header has 11/,
    ],
  ])('refuses bad input %#', (csv, message) => {
    expect(() => parseMetricsCsv(csv, src)).toThrow(message);
  });
});
