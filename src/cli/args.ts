// Command-line options of `npm run lab -- <command>` and how they override an
// experiment config (defaults < --config file < flags). The file is read by the same
// lenient JSON reader as a preset or an imported results file, and each flag by the
// same field types as a link; here every problem is an error naming the file or flag,
// except unknown fields in the file, which are warnings.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assertValidExperiment, defaultExperiment, type ExperimentConfig } from '../lab/experiment';
import { decodeExperimentJson } from '../lab/urlCodec';
import { SCHEMA, setField, type Field } from '../lab/urlSchema';

export const OPTIONS = {
  config: { type: 'string' },
  dataset: { type: 'string' },
  data: { type: 'string', multiple: true },
  preset: { type: 'string' },
  blocks: { type: 'string' },
  block: { type: 'string' },
  stem: { type: 'string' },
  width: { type: 'string' },
  skip: { type: 'string' },
  bn: { type: 'boolean' },
  'no-bn': { type: 'boolean' },
  schemes: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  clip: { type: 'string' },
  'scalar-lr': { type: 'string' },
  'scalar-decay': { type: 'string' },
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
  'bn-stats': { type: 'string' },
  signal: { type: 'string' },
  'input-cosine': { type: 'string' },
  pairs: { type: 'string' },
  from: { type: 'string' },
  'to-stage': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliValues = ReturnType<typeof parse>['values'];

export function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Error(`${(e as Error).message}; see --help for the options`);
  }
}

/** Flags that set one experiment field, by the field's link key (so ranges live in one place). */
const FIELD_FLAGS: [flag: keyof typeof OPTIONS, key: string][] = [
  ['dataset', 'ds'],
  ['preset', 'net'],
  ['blocks', 'blocks'],
  ['block', 'blk'],
  ['stem', 'stem'],
  ['width', 'w'],
  ['skip', 'skip'],
  ['schemes', 'init'],
  ['optimizer', 'opt'],
  ['lr', 'lr'],
  ['clip', 'clip'],
  ['scalar-lr', 'slr'],
  ['scalar-decay', 'swd'],
  ['batch', 'bs'],
  ['steps', 'steps'],
  ['eval-every', 'eval'],
  ['seed', 'seed'],
  ['bn-stats', 'bnst'],
  ['signal', 'sig'],
  ['input-cosine', 'icos'],
  ['pairs', 'pairs'],
  ['from', 'jfrom'],
  ['to-stage', 'jto'],
];

const fieldByKey = (key: string): Field => SCHEMA.find((f) => f.key === key)!;

/** The flag's text read and checked as its field: a value that would be clamped or
 * refused is an error naming the flag, never a silent change. */
export function flagValue(flag: string, key: string, text: string): unknown {
  const f = fieldByKey(key);
  const parsed = f.type.parse(text.trim());
  const got = 'reason' in parsed ? parsed : f.type.accept(parsed.value);
  if ('reason' in got) throw new Error(`--${flag} ${JSON.stringify(text)}: ${got.reason}`);
  const note = ['note' in parsed ? parsed.note : undefined, got.note].filter(Boolean).join('; ');
  if (note) throw new Error(`--${flag} ${JSON.stringify(text)}: ${note}; give a value in range`);
  return got.value;
}

/** A whole number >= 1 for flags that are not experiment fields (--probe). */
export function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new Error(`--${flag} ${JSON.stringify(text)}: must be a whole number of at least 1`);
  return n;
}

/** What kind of lab file `json` is, when it is one but not an experiment. */
function otherLabFile(json: unknown): string | undefined {
  const format = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { format?: unknown }).format : undefined;
  if (format === 'risotto-lab-model') return 'a model card (written by `init` or a weights export next to its .safetensors), not an experiment; pass the experiment JSON (a preset, or the "experiment" of a results export) instead';
  return undefined;
}

/** The experiment a --config file holds: exported results and PyTorch packages carry theirs under "experiment". */
export function readConfigFile(path: string, warn: (s: string) => void): ExperimentConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--config ${path}: ${(e as Error).message}`);
  }
  const other = otherLabFile(json);
  if (other) throw new Error(`--config ${path}: this is ${other}`);
  const format = (json as { format?: unknown } | null)?.format;
  if (format === 'risotto-lab-experiment' || format === 'risotto-lab-pytorch') {
    warn(`--config ${path}: a ${format === 'risotto-lab-pytorch' ? 'PyTorch package config' : 'results export'}; using the experiment it holds`);
    json = (json as { experiment?: unknown }).experiment;
  }
  const { config, warnings, unknownFields = [] } = decodeExperimentJson(json);
  for (const w of unknownFields) warn(`--config ${path}: ${w}`);
  const problems = warnings.filter((w) => !unknownFields.includes(w));
  if (problems.length) throw new Error(`--config ${path}:\n- ${problems.join('\n- ')}\nfix these in the file and run again`);
  return config;
}

/** defaults, then the --config JSON file, then individual flags; checked as a whole. */
export function experimentFrom(values: CliValues, warn: (s: string) => void = () => {}): ExperimentConfig {
  const exp = values.config ? readConfigFile(values.config, warn) : defaultExperiment();
  for (const [flag, key] of FIELD_FLAGS) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const v = flagValue(flag, key, text);
    const lr = exp.optimizer.lr;
    if (flag === 'blocks' || flag === 'block') exp.model.preset = 'custom';
    setField(exp, fieldByKey(key), v);
    // A new optimizer kind keeps the learning rate chosen so far.
    if (flag === 'optimizer') exp.optimizer.lr = lr;
    if (flag === 'steps') {
      if (exp.schedule.kind === 'cosine') exp.schedule = { ...exp.schedule, totalSteps: exp.steps };
      // A short run keeps at most a tenth of its steps for warmup.
      exp.warmupSteps = Math.min(exp.warmupSteps, Math.floor(exp.steps / 10));
    }
  }
  if (values['input-cosine'] !== undefined && exp.diagnostics.signal !== 'noise') throw new Error('--input-cosine sets the cosine of Gaussian pairs: add --signal noise');
  if (values.bn && values['no-bn']) throw new Error('--bn and --no-bn contradict each other; give one');
  if (values.bn) exp.model.batchNorm = true;
  if (values['no-bn']) exp.model.batchNorm = false;
  assertValidExperiment(exp);
  return exp;
}
