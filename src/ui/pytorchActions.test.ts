// Page-side PyTorch imports against a fake Worker: a good CSV merges (re-import replaces)
// and is kept; a bad one leaves every run in place with a readable error; runs kept for
// an experiment are shown only while the page still shows that experiment.
import type * as Comlink from 'comlink';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { type ExperimentConfig } from '../lab/experimentConfig';
import type { ExternalRun } from '../lab/externalRuns';
import type { LabWorkerApi } from './labWorker';
import { pytorchActions, usePytorchState } from './pytorchActions';
import { useLabStore } from './store';

const CSV =
  'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nrisotto,risotto,finished,1,0,0.1,2.3,0.1,1,,\nhe,he,finished,1,0,0.1,2.4,0.1,1,2.4,0.1\n';

function fakeLab(kept: ExternalRun[] = []) {
  const saved: ExternalRun[][] = [];
  const lab = {
    saveExternalRuns: async (_exp: ExperimentConfig, runs: ExternalRun[]) => void saved.push(runs),
    externalRuns: async () => kept,
  } as unknown as Comlink.Remote<LabWorkerApi>;
  return { lab, saved };
}

beforeEach(() => {
  useLabStore.setState({ experiment: defaultExperiment(), external: [], notice: undefined });
  usePytorchState.setState({ importError: undefined, importWarnings: [], imported: undefined });
});

describe('importCsv', () => {
  it('adds the runs, keeps them, and replaces them on a re-import', async () => {
    const { lab, saved } = fakeLab();
    const actions = pytorchActions(lab);
    await actions.importCsv(new File([CSV], 'metrics.csv'));
    expect(useLabStore.getState().external.map((r) => r.key)).toEqual(['pytorch:risotto', 'pytorch:he']);
    expect(usePytorchState.getState().imported).toEqual({
      file: 'metrics.csv',
      labels: ['Risotto (PyTorch)', 'He (Kaiming) normal (PyTorch)'],
    });
    expect(usePytorchState.getState().importWarnings.join()).toMatch(/end at step 1/);
    await actions.importCsv(new File([CSV], 'metrics.csv'));
    expect(useLabStore.getState().external).toHaveLength(2);
    expect(saved.map((s) => s.length)).toEqual([2, 2]);
  });
  it('refuses a bad file with its reason and keeps what was there', async () => {
    const { lab, saved } = fakeLab();
    const actions = pytorchActions(lab);
    await actions.importCsv(new File([CSV], 'metrics.csv'));
    const before = useLabStore.getState().external;
    await actions.importCsv(
      new File(
        ['run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nrisotto,risotto,finished,x,0,0,1,1,1,,\n'],
        'bad.csv',
      ),
    );
    expect(usePytorchState.getState().importError).toBe('Not imported: bad.csv, line 2: step must be a number, got "x"');
    expect(useLabStore.getState().external).toBe(before);
    expect(saved).toHaveLength(1);
  });
  it('says so, and keeps the runs on the page, when the browser cannot store them', async () => {
    const lab = {
      saveExternalRuns: async () => Promise.reject(new Error('browser storage is full')),
    } as unknown as Comlink.Remote<LabWorkerApi>;
    await pytorchActions(lab).importCsv(new File([CSV], 'metrics.csv'));
    expect(useLabStore.getState().external).toHaveLength(2);
    expect(useLabStore.getState().notice?.text).toMatch(/shown but not saved.*storage is full/);
  });
});

describe('remove and load', () => {
  it('removes one run and keeps the rest', async () => {
    const { lab, saved } = fakeLab();
    const actions = pytorchActions(lab);
    await actions.importCsv(new File([CSV], 'metrics.csv'));
    await actions.remove('pytorch:he');
    expect(useLabStore.getState().external.map((r) => r.key)).toEqual(['pytorch:risotto']);
    expect(saved.at(-1)!.map((r) => r.key)).toEqual(['pytorch:risotto']);
  });
  it('shows kept runs only while the page still shows their experiment', async () => {
    const { lab } = fakeLab([{ key: 'pytorch:he' } as ExternalRun]);
    const actions = pytorchActions(lab);
    await actions.load({ ...defaultExperiment(), seed: 5 });
    expect(useLabStore.getState().external).toEqual([]);
    await actions.load(defaultExperiment());
    expect(useLabStore.getState().external.map((r) => r.key)).toEqual(['pytorch:he']);
  });
});

describe('exportPackage', () => {
  it('passes the experiment, the data choice and the share link to the exporter, and reports its failure', async () => {
    vi.stubGlobal('location', new URL('http://lab.example/'));
    const { lab } = fakeLab();
    const calls: unknown[] = [];
    const actions = pytorchActions(lab, async (exp, opts) => {
      calls.push([exp, opts]);
      throw new Error('risotto cannot build this model: width 3 is odd');
    });
    await actions.exportPackage(false);
    const [[exp, opts]] = calls as [[ExperimentConfig, { includeData: boolean; labUrl?: string }]];
    expect(exp).toEqual(useLabStore.getState().experiment);
    expect(opts.includeData).toBe(false);
    expect(opts.labUrl).toMatch(/^http:\/\/lab\.example\/#/);
    expect(usePytorchState.getState().exportError).toBe('Export to PyTorch failed: risotto cannot build this model: width 3 is odd');
    expect(usePytorchState.getState().exporting).toBe(false);
    vi.unstubAllGlobals();
  });
});
