import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../lab/experimentFields';
import { csvShape, dataOptions, debugLevel, experimentFrom, parse, positiveInt, testSplit } from './args';

const dir = mkdtempSync(join(tmpdir(), 'cli-args-'));
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
};
const from = (argv: string[]) => {
  const warnings: string[] = [];
  return { exp: experimentFrom(parse(argv).values, (w) => warnings.push(w)), warnings };
};

describe('--config goes through the same checks as a link or an imported file', () => {
  it('reads a partial experiment and lets flags override it', () => {
    const path = file('exp.json', { version: 2, model: { width: 32 }, steps: 50 });
    const { exp, warnings } = from(['train', '--config', path, '--seed', '9']);
    expect([exp.model.width, exp.steps, exp.seed]).toEqual([32, 50, 9]);
    expect(warnings).toEqual([]);
  });

  it('warns about misspelled keys by name instead of running the default silently', () => {
    const path = file('typo.json', { version: 2, modle: { width: 32 }, stpes: 50, optimizer: { lR: 0.1 } });
    const { exp, warnings } = from(['train', '--config', path]);
    expect(warnings).toEqual([
      `--config ${path}: unknown field modle; ignored`,
      `--config ${path}: unknown field stpes; ignored`,
      `--config ${path}: unknown field optimizer.lR; ignored`,
    ]);
    expect(exp).toEqual(defaultExperiment());
  });

  it('refuses values out of range, a wrong type and a newer version, listing each', () => {
    const path = file('bad.json', { version: 3, model: { width: 9999 }, batchSize: 'big' });
    expect(() => from(['train', '--config', path])).toThrow(
      new RegExp(
        `^--config ${path.replace(/[.]/g, '\\.')}:\\n- version = 3: made by a newer lab .*\\n- model\\.width = 9999: above the maximum 512, used 512\\n- batchSize = big: not a number; used the default 64\\nfix these in the file and run again$`,
      ),
    );
  });

  it('refuses a JSON file none of whose fields is an experiment field, naming them', () => {
    const path = file('package.json', { name: 'my-app', version: '1.0.0', scripts: { test: 'vitest' } });
    expect(() => from(['train', '--config', path])).toThrow(
      /^--config .*package\.json: none of its fields \(name, version, scripts\) is an experiment field, so this is not an experiment file; pass an experiment JSON/,
    );
    // version alone is an experiment field: {"version": 2} is the default experiment, said by nothing.
    expect(from(['train', '--config', file('v.json', { version: 2 })]).warnings).toEqual([]);
  });

  it('warns about many unknown fields without counting them as problems past the warning cap', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`extra${i}`, i]));
    const path = file('many.json', { version: 2, steps: 50, ...many });
    const { exp, warnings } = from(['train', '--config', path]);
    expect(exp.steps).toBe(50);
    expect(warnings).toHaveLength(40);
    // ...but a real problem hidden past the cap still stops the run, counted.
    const bad = file('many-bad.json', { version: 2, ...many, steps: -1, batchSize: 'x' });
    expect(() => from(['train', '--config', bad])).toThrow(/\n- \.\.\. and 2 more problems\nfix these in the file/);
  });

  it('recognises a model card and refuses it with a hint', () => {
    const path = file('exp.card.json', { format: 'risotto-lab-model', formatVersion: 1, config: {}, tensors: [] });
    expect(() => from(['init', '--config', path])).toThrow(
      /is a model card \(written by `init`.*not an experiment; pass the experiment JSON/,
    );
  });

  it('takes the experiment out of a results export, saying so', () => {
    const exp = { ...defaultExperiment(), seed: 77 };
    const path = file('results.json', { format: 'risotto-lab-experiment', formatVersion: 1, experiment: exp, runs: [] });
    const got = from(['train', '--config', path]);
    expect(got.exp.seed).toBe(77);
    expect(got.warnings).toEqual([`--config ${path}: a results export; using the experiment it holds`]);
  });

  it('says when the file is not JSON or not there', () => {
    expect(() => from(['train', '--config', file('broken.json', '{"model": ')])).toThrow(/^--config .*broken\.json: .*JSON/);
    expect(() => from(['train', '--config', join(dir, 'missing.json')])).toThrow(/^--config .*missing\.json: ENOENT/);
    expect(() => from(['train', '--config', file('list.json', [1, 2])])).toThrow(/the experiment is not a JSON object/);
  });
});

describe('every flag is checked, and the message names it', () => {
  const cases: [string[], RegExp][] = [
    [['--width', '9999'], /^--width "9999": above the maximum 512, used 512; give a value in range$/],
    [['--width', 'wide'], /^--width "wide": not a number$/],
    [['--width', '12.5'], /^--width "12\.5": not a whole number, rounded to 13; give a value in range$/],
    [['--lr=-1'], /^--lr "-1": below the minimum/],
    [['--lr', 'Infinity'], /^--lr "Infinity": not a number$/],
    [['--batch', '1'], /^--batch "1": below the minimum 2/],
    [['--steps', '0'], /^--steps "0": below the minimum 1/],
    [['--eval-every', '1e9'], /^--eval-every "1e9": above the maximum/],
    [['--seed=-3'], /^--seed "-3": below the minimum 0/],
    [['--skip', 'D'], /^--skip "D": not one of B, C$/],
    [['--preset', 'resnet7'], /^--preset "resnet7": not one of resnet8/],
    [['--blocks', '1,1'], /^--blocks "1,1": needs 3 to 4 items, got 2$/],
    [['--blocks', '1,x,1'], /^--blocks "1,x,1": item x is not a number$/],
    [['--block', 'wide'], /^--block "wide": not one of basic, bottleneck$/],
    [['--stem', 'tiny'], /^--stem "tiny": not one of cifar, imagenet$/],
    [['--scalar-lr', '0'], /^--scalar-lr "0": below the minimum/],
    [['--schemes', 'risotto,nope'], /^--schemes "risotto,nope": .*nope/],
    [['--optimizer', 'lion'], /^--optimizer "lion": not one of sgd/],
    [['--clip', '0'], /^--clip "0": below the minimum/],
    [
      ['--dataset', 'imagenet'],
      /^--dataset "imagenet": not a dataset: built-in .*; uploaded once cifar10, cifar100, tiny-imagenet; or an upload.s content hash$/,
    ],
    [['--bn', '--no-bn'], /^--bn and --no-bn contradict each other/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), () => {
      expect(() => from(['train', ...argv])).toThrow(message);
    });
  }

  it('applies good flags exactly, an optimizer change keeping the learning rate', () => {
    const { exp } = from([
      'train',
      '--blocks',
      '2,2,2',
      '--width',
      '24',
      '--skip',
      'c',
      '--lr',
      '0.01',
      '--optimizer',
      'adam',
      '--schemes',
      'he,fixup',
      '--steps',
      '100',
      '--no-bn',
    ]);
    expect(exp.model).toMatchObject({ preset: 'custom', blocksPerStage: [2, 2, 2], width: 24, skip: 'C', batchNorm: false });
    expect(exp.optimizer).toEqual({ kind: 'adam', lr: 0.01 });
    expect(exp.schemes.map((s) => s.id)).toEqual(['he', 'fixup']);
    expect([exp.steps, exp.schedule]).toEqual([100, { kind: 'cosine', totalSteps: 100 }]);
  });

  it('--preset resnet50 is bottleneck; --block means a custom depth; --stem picks the stem', () => {
    expect(from(['train', '--preset', 'resnet50', '--stem', 'imagenet']).exp.model).toMatchObject({
      preset: 'resnet50',
      blocksPerStage: [3, 4, 6, 3],
      block: 'bottleneck',
      stem: 'imagenet',
    });
    expect(from(['train', '--blocks', '3,4,6,3', '--block', 'bottleneck']).exp.model).toMatchObject({
      preset: 'custom',
      blocksPerStage: [3, 4, 6, 3],
      block: 'bottleneck',
      stem: 'cifar',
    });
    // A preset fixes its block type: asking for another is a contradiction, said as such.
    expect(() => from(['train', '--preset', 'resnet34', '--block', 'bottleneck'])).toThrow(
      /--block applies only to --preset custom, not resnet34/,
    );
  });

  it('--scalar-lr and --no-scalar-decay set the scalar parameter group', () => {
    expect(from(['train', '--scalar-lr', '0.1', '--no-scalar-decay']).exp.optimizer).toMatchObject({
      scalarLr: 0.1,
      scalarWeightDecay: false,
    });
    expect(from(['train', '--scalar-decay']).exp.optimizer).toMatchObject({ scalarWeightDecay: true });
    expect(from(['train']).exp.optimizer.scalarLr).toBeUndefined();
  });

  it('--mixup sets the mixup alpha, refusing a negative one with the range', () => {
    expect(from(['train', '--mixup', '0.2']).exp.augment).toMatchObject({ mixup: 0.2 });
    expect(from(['train']).exp.augment.mixup).toBe(0);
    expect(() => from(['train', '--mixup=-1'])).toThrow(/^--mixup "-1": below the minimum/);
  });

  it('refuses unknown flags and checks --probe', () => {
    expect(() => parse(['train', '--widht', '3'])).toThrow(/Unknown option '--widht'.*see --help/);
    expect(positiveInt('probe', '8')).toBe(8);
    expect(() => positiveInt('probe', '0')).toThrow(/^--probe "0": must be a whole number of at least 1$/);
    expect(() => positiveInt('probe', '2.5')).toThrow(/^--probe "2\.5"/);
  });
});

describe('command flags that are not experiment fields', () => {
  it('--debug is 0, 1 or 2, named when it is not', () => {
    expect([debugLevel('0'), debugLevel('2')]).toEqual([0, 2]);
    for (const bad of ['3', 'x', '', '1.5', '-1'])
      expect(() => debugLevel(bad)).toThrow(new RegExp(`^--debug ${JSON.stringify(bad).replace(/[.]/g, '\\.')}: must be 0, 1 or 2`));
  });

  it('--test-split and --csv-shape read --data files as the upload panel would, each named when wrong', () => {
    expect([testSplit('0.25'), testSplit('40%'), testSplit(' 10 % ')]).toEqual([0.25, 0.4, 0.1]);
    for (const bad of ['0', '1', '95%', 'half', '-0.2'])
      expect(() => testSplit(bad)).toThrow(/^--test-split ".*": give the held-out share as a fraction from 0\.01 to 0\.9 or a percentage/);
    expect(csvShape('3,2,3')).toEqual({ channels: 3, height: 2, width: 3 });
    expect(csvShape('28x28')).toEqual({ height: 28, width: 28 });
    for (const bad of ['2,2,3', '1,0,3', '28', 'a,b', '1,2,3,4'])
      expect(() => csvShape(bad)).toThrow(/^--csv-shape ".*": give channels,height,width \(channels 1 or 3\) or height,width/);
    const values = (argv: string[]) => parse(['train', ...argv]).values;
    expect(dataOptions(values(['--data', 'a.csv', '--test-split', '25%', '--csv-shape', '1,2,3']))).toEqual({
      testFraction: 0.25,
      csv: { channels: 1, height: 2, width: 3 },
    });
    expect(dataOptions(values([]))).toEqual({});
    expect(() => dataOptions(values(['--csv-shape', '1,2,3']))).toThrow('--csv-shape applies to --data files; add --data FILE');
  });
});

describe('diagnostics flags', () => {
  it('set the BatchNorm mode, signal inputs and spectrum map, each checked like its link field', () => {
    const { exp } = from([
      'spectrum',
      '--bn-stats',
      'running',
      '--signal',
      'noise',
      '--input-cosine',
      '0.5',
      '--pairs',
      '4',
      '--from',
      'stem',
      '--to-stage',
      '2',
    ]);
    expect(exp.diagnostics).toEqual({ bnStats: 'running', signal: 'noise', inputCosine: 0.5, pairs: 4, from: 'stem', toStage: 2 });
    expect(from(['spectrum']).exp.diagnostics.bnStats).toBe('batch');
    expect(() => from(['spectrum', '--bn-stats', 'eval'])).toThrow(/--bn-stats "eval"/);
    expect(() => from(['spectrum', '--pairs', '99'])).toThrow(/--pairs "99"/);
    expect(from(['spectrum', '--input-cosine', '0.5']).exp.diagnostics).toMatchObject({ signal: 'noise', inputCosine: 0.5 });
    expect(() => from(['spectrum', '--signal', 'data', '--input-cosine', '0.5'])).toThrow(
      /^--input-cosine applies only to --signal noise, not data$/,
    );
    expect(() => from(['train', '--optimizer', 'sgd', '--beta1', '0.8'])).toThrow(
      /^--beta1 applies only to --optimizer adamw or adam, not sgd$/,
    );
    expect(() => from(['train', '--beta1', '0.8'])).toThrow(/^--beta1 applies only to --optimizer adamw or adam: add --optimizer adamw$/);
    expect(() => from(['spectrum', '--to-stage', '4'])).toThrow(/end stage/);
  });
});
