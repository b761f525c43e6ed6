// The lab service's PyTorch side (no GPU needed): imported runs are kept per experiment
// config and come back in a new session.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { type ExperimentConfig } from './experimentConfig';
import { ExperimentStore } from './experimentStore';
import { parseMetricsCsv } from './externalRuns';
import { LabService } from './labService';

const noGpu = () => Promise.reject(new Error('no GPU in this test'));
const noAssets = () => Promise.reject(new Error('no assets in this test'));
const service = (experiments = new ExperimentStore(`lab-service-${Math.random()}`)) =>
  new LabService(noGpu, undefined, noAssets, () => {}, { experiments });

// Small enough that the float64 parity forward stays quick.
const tiny = (): ExperimentConfig => ({
  ...defaultExperiment(),
  model: { ...defaultExperiment().model, preset: 'custom', blocksPerStage: [1, 1, 1], width: 8 },
  schemes: [{ id: 'risotto' }, { id: 'he' }],
  steps: 7,
  seed: 42,
});

describe('LabService external runs', () => {
  it('keeps imported runs per experiment config across sessions', async () => {
    const name = `lab-service-${Math.random()}`;
    const store = new ExperimentStore(name);
    const exp = tiny();
    const { runs } = parseMetricsCsv(
      'run,scheme,status,step,epoch,lr,train_loss,train_acc,grad_norm,test_loss,test_acc\nrisotto,risotto,finished,1,0,0.1,2.3,0.1,1,,\n',
      { tool: 'PyTorch', file: 'metrics.csv' },
    );
    await service(store).saveExternalRuns(exp, runs);
    const again = service(new ExperimentStore(name));
    expect((await again.externalRuns(exp)).map((r) => [r.key, r.external.file, r.train.length])).toEqual([
      ['pytorch:risotto', 'metrics.csv', 1],
    ]);
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
