// The shipped presets (read from public/presets on disk) parse without a warning and can
// run every scheme they list; the index and preset links refuse what they should.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from '../data/builtin/registry';
import { defaultExperiment } from './experimentFields';
import { validateExperiment } from './experimentChecks';
import { resnetConfigFor } from './modelFactory';
import { parsePreset, parsePresetIndex, presetFilePath, presetLink } from './presets';
import { runLabel } from './runModel';
import { findStandardDataset } from './standardDatasets';

const DIR = join(__dirname, '../../public/presets');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');
const index = parsePresetIndex(read('index.json'));
const byId = (id: string) => parsePreset(read(index.presets.find((p) => p.id === id)!.file)).config;

describe('shipped presets', () => {
  it('index lists every preset file exactly once, with no warnings', () => {
    expect(index.warnings).toEqual([]);
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'index.json');
    expect(index.presets.map((p) => p.file).sort()).toEqual(files.sort());
    expect(index.presets.map((p) => p.id)).toEqual(
      expect.arrayContaining(['default', 'risotto-vs-he-32-blocks', 'he-bn', 'he-nobn', 'type-b', 'type-c']),
    );
    for (const p of index.presets) expect(p.description.length, p.id).toBeGreaterThan(40);
  });

  it.each(index.presets.map((p) => [p.id, p.file]))('%s parses without warnings and every scheme can run on it', (_, file) => {
    const { config, warnings, notes } = parsePreset(read(file));
    expect(warnings).toEqual([]);
    expect(notes, 'presets are written in the current version').toEqual([]);
    expect(validateExperiment(config)).toEqual([]);
    const data = BUILTIN_DATASETS.find((d) => d.id === config.dataset) ?? findStandardDataset(config.dataset)!;
    expect(data, config.dataset).toBeDefined();
    for (const scheme of config.schemes) {
      expect(resnetConfigFor(config, scheme, data).problems, scheme.id).toEqual([]);
    }
  });

  it('default is the lab default; each pair differs only where its title says', () => {
    expect(byId('default')).toStrictEqual(defaultExperiment());
    expect({ ...byId('type-c'), model: { ...byId('type-c').model, skip: 'B' } }).toStrictEqual(byId('type-b'));
    const [bn, nobn] = [byId('he-bn'), byId('he-nobn')];
    expect([bn.model.batchNorm, nobn.model.batchNorm]).toEqual([true, false]);
    expect({ ...nobn, model: bn.model, schemes: bn.schemes }).toStrictEqual(bn);
    const deep = byId('risotto-vs-he-32-blocks');
    expect(deep.model.blocksPerStage.reduce((a, b) => a + b)).toBe(32);
    expect(deep.model.batchNorm).toBe(false);
    expect(deep.schemes.map((s) => s.id)).toEqual(['risotto', 'he']);
  });

  it('Risotto vs He, with and without BatchNorm: four runs in one experiment, BN set per run', () => {
    const c = byId('risotto-he-bn');
    expect(index.presets.findIndex((p) => p.id === 'risotto-he-bn')).toBe(1);
    expect(c.model.batchNorm).toBe(false);
    expect(c.schemes.map(runLabel)).toEqual(['Risotto', 'Risotto + BN', 'He (Kaiming) normal', 'He (Kaiming) normal + BN']);
    const data = BUILTIN_DATASETS.find((d) => d.id === c.dataset)!;
    expect(c.schemes.map((r) => resnetConfigFor(c, r, data).config.batchNorm)).toEqual([false, true, false, true]);
    // The same recipe as the pair of one-setting presets.
    expect({ ...c, schemes: byId('he-nobn').schemes }).toStrictEqual(byId('he-nobn'));
  });
});

describe('the paper presets', () => {
  const paper = index.presets.filter((p) => p.id.startsWith('paper-'));

  it('cover ResNet-18 and ResNet-50 on CIFAR-10, CIFAR-100 and Tiny ImageNet, each a standard upload', () => {
    const got = paper.map((p) => `${byId(p.id).dataset} ${byId(p.id).model.preset}`).sort();
    const want = ['cifar10', 'cifar100', 'tiny-imagenet'].flatMap((d) => [`${d} resnet18`, `${d} resnet50`]);
    expect(got).toEqual(want.sort());
  });

  it.each(paper.map((p) => [p.id]))('%s: the schemes with and without BN, the recipe, and a full-size run', (id) => {
    const c = byId(id);
    expect(c.schemes.map(runLabel)).toEqual(['Risotto', 'Risotto + BN', 'He (Kaiming) normal + BN', 'Fixup', 'SkipInit']);
    expect(c.optimizer).toMatchObject({ kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 });
    expect(c.schedule.kind).toBe('cosine');
    expect(c.seeds).toBe(3);
    expect(c.fullWidth).toBe(64);
    expect(c.fullEpochs).toBeGreaterThanOrEqual(100);
    expect(c.model.width).toBeLessThan(c.fullWidth!);
    // Risotto on bottlenecks needs Type C skips.
    if (c.model.preset === 'resnet50') expect(c.model.skip).toBe('C');
  });
});

describe('parsePresetIndex / parsePreset', () => {
  it('leaves out malformed index entries with a warning', () => {
    const { presets, warnings } = parsePresetIndex([
      { id: 'ok', title: 'Ok', description: 'd', file: 'ok.json' },
      { id: 'ok', title: 'Again', file: 'again.json' },
      { id: 'Bad Id', title: 't', file: 'x.json' },
      { id: 'escape', title: 't', file: '../../secret.json' },
      { id: 'url', title: 't', file: 'https://evil.example/x.json' },
      { id: 'notitle', file: 'n.json' },
      'junk',
    ]);
    expect(presets).toEqual([{ id: 'ok', title: 'Ok', description: 'd', file: 'ok.json' }]);
    expect(warnings).toHaveLength(6);
    expect(parsePresetIndex('{not json').warnings).toEqual(['not valid JSON']);
    expect(parsePresetIndex({}).presets).toEqual([]);
    expect(presetFilePath(presets[0])).toBe('presets/ok.json');
  });

  it('reads a preset leniently through the link checks', () => {
    const { config, warnings } = parsePreset('{"version":1,"model":{"width":4096},"steps":-3,"schemes":["he","nope"]}');
    expect(config).toStrictEqual({
      ...defaultExperiment(),
      model: { ...defaultExperiment().model, width: 512 },
      steps: 1,
      schemes: [{ id: 'he' }],
    });
    expect(warnings).toHaveLength(3);
    expect(parsePreset('not json')).toStrictEqual({
      config: defaultExperiment(),
      warnings: ['not valid JSON', 'the experiment is not a JSON object; used the default experiment'],
      notes: [],
    });
  });
});

describe('preset links', () => {
  it('builds a preset link and refuses odd ids', () => {
    const link = presetLink('he-bn', 'https://x.org/lab/#v=1');
    expect(link).toBe('https://x.org/lab/#preset=he-bn');
    expect(() => presetLink('../x')).toThrow(/lowercase/);
  });
});
