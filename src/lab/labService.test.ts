// The lab service's PyTorch side (no GPU needed): the export zip holds the package for
// the experiment, with or without the dataset, before any run; imported runs are kept
// per experiment config and come back in a new session.
import 'fake-indexeddb/auto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultExperiment, type ExperimentConfig } from './experiment';
import { ExperimentStore } from './experimentStore';
import { parseMetricsCsv } from './externalRuns';
import { LabService } from './labService';

const noGpu = () => Promise.reject(new Error('no GPU in this test'));
const noAssets = () => Promise.reject(new Error('no assets in this test'));
const service = (experiments = new ExperimentStore(`lab-service-${Math.random()}`)) => new LabService(noGpu, undefined, noAssets, () => {}, { experiments });

// Small enough that the float64 parity forward stays quick.
const tiny = (): ExperimentConfig => ({ ...defaultExperiment(), model: { ...defaultExperiment().model, preset: 'custom', blocksPerStage: [1, 1, 1], width: 8 }, schemes: [{ id: 'risotto' }, { id: 'he' }], steps: 7, seed: 42 });

describe('LabService.exportPytorch', () => {
  it('zips the package under risotto-lab-pytorch/, with every scheme\u2019s weights and the dataset', async () => {
    const exp = tiny();
    const files = unzipSync(await service().exportPytorch(exp, { includeData: true, labUrl: 'http://lab/#v=1&seed=42' }));
    const names = Object.keys(files);
    for (const f of ['model.py', 'init.py', 'train.py', 'README.md', 'config.json', 'weights/risotto.safetensors', 'weights/he.safetensors', 'data/dataset.safetensors']) expect(names).toContain(`risotto-lab-pytorch/${f}`);
    const config = JSON.parse(new TextDecoder().decode(files['risotto-lab-pytorch/config.json']));
    expect(config.experiment).toEqual(exp);
    expect(config.labUrl).toBe('http://lab/#v=1&seed=42');
  });
  it('leaves the dataset out when asked', async () => {
    const names = Object.keys(unzipSync(await service().exportPytorch(tiny(), { includeData: false })));
    expect(names.some((n) => n.includes('data/dataset'))).toBe(false);
    expect(names).toContain('risotto-lab-pytorch/train.py');
  });
  it('rejects an invalid experiment with the validation message', async () => {
    await expect(service().exportPytorch({ ...tiny(), schemes: [] }, { includeData: false })).rejects.toThrow(/at least one initialization scheme/);
  });
});

describe('LabService external runs', () => {
  it('keeps imported runs per experiment config across sessions', async () => {
    const name = `lab-service-${Math.random()}`;
    const store = new ExperimentStore(name);
    const exp = tiny();
    const { runs } = parseMetricsCsv('run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nrisotto,risotto,finished,1,0,0.1,2.3,0.1,1,,\n', { tool: 'PyTorch', file: 'metrics.csv' });
    await service(store).saveExternalRuns(exp, runs);
    const again = service(new ExperimentStore(name));
    expect((await again.externalRuns(exp)).map((r) => [r.key, r.external.file, r.train.length])).toEqual([['pytorch:risotto', 'metrics.csv', 1]]);
    expect(await again.externalRuns({ ...exp, seed: 43 })).toEqual([]);
    await again.saveExternalRuns(exp, []);
    expect(await again.externalRuns(exp)).toEqual([]);
  });
  it('says imports cannot be kept when there is no storage', async () => {
    const bare = new LabService(noGpu, undefined, noAssets);
    await expect(bare.saveExternalRuns(tiny(), [])).rejects.toThrow(/no experiment storage/);
    expect(await bare.externalRuns(tiny())).toEqual([]);
  });
});
