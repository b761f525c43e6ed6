// What the PyTorch package holds, without Python: files, config, exact weights, the
// dataset bytes, the zip, and errors for an experiment that cannot be exported.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/dataset';
import { defaultExperiment } from '../experimentFields';
import { type ExperimentConfig } from '../experimentConfig';
import { initialWeights } from '../initTools';
import { decodeSafetensors } from '../safetensors';
import { loadAnyDataset } from '../userDatasets';
import { buildPytorchPackage, fileSafe, pytorchZip, zipPackage } from './package';
import type { PytorchConfig } from './pytorchConfig';
import { README_COMMANDS } from './readme';
import { PYTHON_SOURCES } from './sources';

function dataset(id = 'tiny'): Dataset {
  const split = (count: number) => ({ pixels: Uint8Array.from({ length: count * 2 * 36 }, (_, i) => (i * 37) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 3), count });
  return { id, name: 'tiny', channels: 2, height: 6, width: 6, classNames: ['a', 'b', 'c'], train: split(12), test: split(5) };
}

const exp: ExperimentConfig = {
  ...defaultExperiment(),
  dataset: 'ab'.repeat(32), // an upload, named by its content hash
  model: { preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 4, skip: 'B', batchNorm: true },
  schemes: [{ id: 'risotto', options: { aRes: 0.5 } }, { id: 'fixup' }],
  batchSize: 4,
  steps: 10,
  warmupSteps: 2,
  schedule: { kind: 'cosine', totalSteps: 10 },
  optimizer: { kind: 'adamw', lr: 0.01, clipNorm: 2 },
};

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('buildPytorchPackage', () => {
  const files = buildPytorchPackage(exp, dataset(), { labUrl: 'https://lab.example/#v=1', now: new Date('2026-01-02T03:04:05Z') });
  const byPath = new Map(files.map((f) => [f.path, f.data]));
  const config = JSON.parse(text(byPath.get('config.json')!)) as PytorchConfig;

  it('holds the Python sources verbatim, the README, config, weights per run, parity and the data', () => {
    for (const [name, source] of Object.entries(PYTHON_SOURCES)) expect(text(byPath.get(name)!)).toBe(source);
    expect([...byPath.keys()].sort()).toEqual(
      ['README.md', 'config.json', 'data/dataset.safetensors', 'diagnostics.safetensors', 'parity.safetensors', 'weights/fixup.safetensors', 'weights/risotto_aRes_0.5.safetensors', ...Object.keys(PYTHON_SOURCES)].sort(),
    );
    const readme = text(byPath.get('README.md')!);
    for (const cmd of Object.values(README_COMMANDS)) expect(readme).toContain(cmd);
    expect(readme).toContain('https://lab.example/#v=1');
  });

  it('config.json: the experiment, each run with the architecture its scheme needs, resolved optimizer, data stats', () => {
    expect(config.format).toBe('risotto-lab-pytorch');
    expect(config.exportedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(config.experiment).toEqual(exp);
    expect(config.runs.map((r) => [r.key, r.file, r.scheme, r.model.batchNorm, r.model.fixupBiases])).toEqual([
      ['risotto(aRes=0.5)', 'risotto_aRes_0.5', 'risotto', true, false],
      ['fixup', 'fixup', 'fixup', false, true],
    ]);
    expect(config.runs[0].options).toEqual({ aRes: 0.5 });
    expect(config.runs.map((r) => r.looksLinear)).toEqual([true, false]);
    expect(config.diagnostics).toMatchObject({ ...exp.diagnostics, file: 'diagnostics.safetensors', probeSize: 6, referenceBatch: 32 });
    expect(config.training.optimizer).toEqual({ kind: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 2 });
    expect(config.dataset).toMatchObject({ id: 'tiny', channels: 2, size: 6, classes: 3, trainCount: 12, testCount: 5, file: 'data/dataset.safetensors' });
    expect(config.dataset.normalize.mean).toHaveLength(2);
  });

  it('weights are the lab initial weights, bit for bit', () => {
    const lab = decodeSafetensors(initialWeights(exp, exp.schemes[0], { channels: 2, size: 6, classes: 3 }).safetensors);
    const ours = decodeSafetensors(byPath.get('weights/risotto_aRes_0.5.safetensors')!);
    expect(ours.tensors.map((t) => t.name)).toEqual(lab.tensors.map((t) => t.name));
    ours.tensors.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(lab.tensors[i].data)));
  });

  it('leaves the data out on request, and flips stay off for MNIST', () => {
    const slim = buildPytorchPackage(exp, dataset(), { includeData: false });
    expect(slim.some((f) => f.path.startsWith('data/'))).toBe(false);
    const slimConfig = JSON.parse(text(slim.find((f) => f.path === 'config.json')!.data)) as PytorchConfig;
    expect(slimConfig.dataset.file).toBeUndefined();
    expect(slimConfig.training.augment.flip).toBe(true);
    const digits = JSON.parse(text(buildPytorchPackage({ ...exp, dataset: 'mnist' }, dataset('mnist'), { includeData: false }).find((f) => f.path === 'config.json')!.data)) as PytorchConfig;
    expect(digits.training.augment.flip).toBe(false);
  });

  it('a standard benchmark travels by name: no data copy, train.py loads it at full size, the full-size run is described', () => {
    const cifar = { ...exp, dataset: 'cifar10', fullWidth: 64, fullEpochs: 200 };
    const pkg = buildPytorchPackage(cifar, { ...dataset('cifar10'), name: 'CIFAR-10' });
    expect(pkg.some((f) => f.path.startsWith('data/'))).toBe(false);
    const c = JSON.parse(text(pkg.find((f) => f.path === 'config.json')!.data)) as PytorchConfig;
    expect([c.dataset.standard, c.dataset.file]).toEqual(['cifar10', undefined]);
    expect(c.experiment.fullWidth).toBe(64);
    const readme = text(pkg.find((f) => f.path === 'README.md')!.data);
    expect(readme).toMatch(/--data cifar10.*--download/s);
    expect(readme).toContain('train.py --full');
    expect(readme).toContain('width 64, 200 epochs');
    // Asked for, the copy still goes in; an upload still carries its images by default.
    expect(buildPytorchPackage(cifar, dataset('cifar10'), { includeData: true }).some((f) => f.path === 'data/dataset.safetensors')).toBe(true);
    const plain = JSON.parse(text(files.find((f) => f.path === 'config.json')!.data)) as PytorchConfig;
    expect(plain.dataset.standard).toBeUndefined();
  });

  it('zips under one folder', () => {
    const unzipped = unzipSync(zipPackage(files, 'pkg'));
    expect(Object.keys(unzipped).sort()).toEqual(files.map((f) => `pkg/${f.path}`).sort());
    expect(unzipped['pkg/model.py']).toEqual(byPath.get('model.py'));
  });

  it('refuses an invalid experiment or a scheme that cannot build the model, saying why', () => {
    expect(() => buildPytorchPackage({ ...exp, steps: 0 }, dataset())).toThrow(/Steps \(steps\) must be a whole number from 1 to 10000000, got 0/);
    expect(() => buildPytorchPackage({ ...exp, model: { ...exp.model, width: 3 } }, dataset())).toThrow(/risotto cannot build this model:[\s\S]*even width/);
  });

  it('exports each run with its own model settings: BatchNorm, learnable scalars, a_res', () => {
    const runs = { ...exp, schemes: [{ id: 'he' as const }, { id: 'he' as const, model: { batchNorm: false, learnRes: true, learnSkip: true, aRes: 0.5 } }] };
    const out = buildPytorchPackage(runs, dataset(), { includeData: false });
    const cfg = JSON.parse(text(out.find((f) => f.path === 'config.json')!.data)) as PytorchConfig;
    expect(cfg.runs.map((r) => [r.key, r.label, r.model.batchNorm, r.model.learnRes, r.model.learnSkip])).toEqual([
      ['he', 'He (Kaiming) normal', true, false, false],
      ['he[bn=0,ares=0.5,lres=1,lskip=1]', 'He (Kaiming) normal without BN, a_res 0.5, learnable a_res, learnable a_skip', false, true, true],
    ]);
    expect(cfg.runs[1].scalars).toEqual({ aRes: 0.5 });
    expect(cfg.runs[1].runModel).toEqual(runs.schemes[1].model);
    const weights = decodeSafetensors(out.find((f) => f.path === `weights/${cfg.runs[1].file}.safetensors`)!.data);
    const aRes = weights.tensors.filter((t) => t.name.endsWith('.aRes'));
    expect(aRes.length).toBeGreaterThan(0);
    for (const t of aRes) expect(Array.from(t.data)).toEqual([0.5]);
  });

  it('makes run keys safe as file names', () => {
    expect(fileSafe('risotto(aRes=0.5,aSkip=2)')).toBe('risotto_aRes_0.5_aSkip_2');
    expect(fileSafe('../x')).toBe('.._x');
  });
});

describe('pytorchZip (what the UI downloads)', () => {
  const load = (id: string) => loadAnyDataset(id, () => Promise.reject(new Error('no assets in this test')), undefined);
  const small = (): ExperimentConfig => ({ ...defaultExperiment(), model: { ...defaultExperiment().model, preset: 'custom', blocksPerStage: [1, 1, 1], block: 'basic', stem: 'cifar', width: 8 }, schemes: [{ id: 'risotto' }, { id: 'he' }], steps: 7, seed: 42 });

  it('loads the built-in dataset and zips the package under risotto-lab-pytorch/', async () => {
    const exp = small();
    const files = unzipSync(await pytorchZip(exp, { includeData: true, labUrl: 'http://lab/#v=1&seed=42' }, load));
    for (const f of ['model.py', 'train.py', 'README.md', 'config.json', 'weights/risotto.safetensors', 'weights/he.safetensors', 'data/dataset.safetensors']) expect(files).toHaveProperty([`risotto-lab-pytorch/${f}`]);
    const config = JSON.parse(text(files['risotto-lab-pytorch/config.json'])) as PytorchConfig;
    expect(config.experiment).toEqual(exp);
    expect(config.labUrl).toBe('http://lab/#v=1&seed=42');
  });

  it('rejects an invalid experiment with the validation message, before loading anything', async () => {
    await expect(pytorchZip({ ...small(), schemes: [] }, {}, () => Promise.reject(new Error('loaded')))).rejects.toThrow(/Initialization schemes \(schemes\): no scheme given: pick at least one/);
  });
});
