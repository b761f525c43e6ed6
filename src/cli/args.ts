// Command-line options of `npm run lab -- <command>` and how they override an
// experiment config (defaults < --config file < flags). Errors say which flag is wrong.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultExperiment, type ExperimentConfig } from '../lab/experiment';

export const OPTIONS = {
  config: { type: 'string' },
  dataset: { type: 'string' },
  data: { type: 'string', multiple: true },
  preset: { type: 'string' },
  blocks: { type: 'string' },
  width: { type: 'string' },
  skip: { type: 'string' },
  bn: { type: 'boolean' },
  'no-bn': { type: 'boolean' },
  schemes: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  clip: { type: 'string' },
  batch: { type: 'string' },
  steps: { type: 'string' },
  'eval-every': { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  scheme: { type: 'string' },
  probe: { type: 'string' },
  'no-data': { type: 'boolean' },
  force: { type: 'boolean' },
  'lab-url': { type: 'string' },
  debug: { type: 'string' },
  validate: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliValues = ReturnType<typeof parse>['values'];

export function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${flag} must be a number, got "${v}"`);
  return n;
}

/** defaults, then the --config JSON file (partial), then individual flags. */
export function experimentFrom(values: CliValues): ExperimentConfig {
  let exp = defaultExperiment();
  if (values.config) {
    let fromFile: Partial<ExperimentConfig>;
    try {
      fromFile = JSON.parse(readFileSync(values.config, 'utf8'));
    } catch (e) {
      throw new Error(`--config ${values.config}: ${(e as Error).message}`);
    }
    exp = { ...exp, ...fromFile, model: { ...exp.model, ...fromFile.model }, optimizer: { ...exp.optimizer, ...fromFile.optimizer } };
  }
  const model = { ...exp.model };
  if (values.preset) model.preset = values.preset as ExperimentConfig['model']['preset'];
  if (values.blocks) {
    model.preset = 'custom';
    model.blocksPerStage = values.blocks.split(',').map((b) => num('blocks', b)!);
  }
  if (values.width) model.width = num('width', values.width)!;
  if (values.skip) model.skip = values.skip.toUpperCase() as 'B' | 'C';
  if (values.bn) model.batchNorm = true;
  if (values['no-bn']) model.batchNorm = false;
  exp = { ...exp, model };
  if (values.dataset) exp.dataset = values.dataset;
  if (values.schemes) exp.schemes = values.schemes.split(',').map((id) => ({ id: id.trim() as ExperimentConfig['schemes'][number]['id'] }));
  if (values.optimizer) exp.optimizer = { kind: values.optimizer as ExperimentConfig['optimizer']['kind'], lr: exp.optimizer.lr };
  if (values.lr) exp.optimizer = { ...exp.optimizer, lr: num('lr', values.lr)! };
  if (values.clip) exp.optimizer = { ...exp.optimizer, clipNorm: num('clip', values.clip)! };
  if (values.batch) exp.batchSize = num('batch', values.batch)!;
  if (values.steps) {
    exp.steps = num('steps', values.steps)!;
    if (exp.schedule.kind === 'cosine') exp.schedule = { ...exp.schedule, totalSteps: exp.steps };
    // A short run keeps at most a tenth of its steps for warmup.
    exp.warmupSteps = Math.min(exp.warmupSteps, Math.floor(exp.steps / 10));
  }
  if (values['eval-every']) exp.evalEvery = num('eval-every', values['eval-every'])!;
  if (values.seed) exp.seed = num('seed', values.seed)!;
  return exp;
}
