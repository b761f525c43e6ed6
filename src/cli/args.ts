// Command-line options of `npm run lab -- <command>` and how they override an
// experiment config (defaults < --config file < flags). The file is read by the same
// lenient JSON reader as a preset or an imported results file, and each flag by the
// same field types as a link; here every problem is an error naming the file or flag,
// except unknown fields in the file, which are warnings.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  assertValidExperiment,
  defaultExperiment,
  type ExperimentConfig,
  FIELDS,
  fieldApplies,
  fieldByKey,
  fieldValue,
  setField,
  decodeExperimentJson,
  isPlainObject,
  shown,
} from '../lab';
import type { UploadOptions } from '../lab';
import { fieldOptions, FOLLOW_STEPS, givenValue } from './fieldFlags';

/** Options that are not experiment fields; those come from the field table. */
const COMMAND_OPTIONS = {
  config: { type: 'string' },
  data: { type: 'string', multiple: true },
  out: { type: 'string' },
  scheme: { type: 'string' },
  probe: { type: 'string' },
  'no-data': { type: 'boolean' },
  force: { type: 'boolean' },
  'lab-url': { type: 'string' },
  debug: { type: 'string' },
  validate: { type: 'string' },
  'test-split': { type: 'string' },
  'csv-shape': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = { ...fieldOptions(), ...COMMAND_OPTIONS };

type CommandValues = ReturnType<typeof parseArgs<{ options: typeof COMMAND_OPTIONS }>>['values'];
/** The command options by name, and every field flag as given (text, or true for a boolean). */
export type CliValues = CommandValues & Record<string, string | boolean | string[] | undefined>;

export function parse(argv: string[]): { values: CliValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    return { values: values as CliValues, positionals };
  } catch (e) {
    throw new Error(`${(e as Error).message}; see --help for the options`);
  }
}

/** A whole number >= 1 for flags that are not experiment fields (--probe). */
export function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${flag} ${JSON.stringify(text)}: must be a whole number of at least 1`);
  return n;
}

/** --debug: 0, 1 or 2. */
export function debugLevel(text: string): number {
  if (!/^\s*[012]\s*$/.test(text))
    throw new Error(`--debug ${JSON.stringify(text)}: must be 0, 1 or 2 (1: each compiled program, 2: also its WGSL)`);
  return Number(text);
}

/** --test-split: the share of each class held out when the --data files have no test set,
 * as a fraction (0.25) or a percentage (25%), as the upload panel's test split. */
export function testSplit(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0.01 && v <= 0.9))
    throw new Error(
      `--test-split ${JSON.stringify(text)}: give the held-out share as a fraction from 0.01 to 0.9 or a percentage (e.g. 0.25 or 25%)`,
    );
  return v;
}

/** --csv-shape C,H,W (or H,W): the image shape of pixel-CSV --data files whose rows are not square images. */
export function csvShape(text: string): { channels?: 1 | 3; height: number; width: number } {
  const parts = text.split(/[,x×]/).map((p) => p.trim());
  const nums = parts.map(Number);
  const ok = (parts.length === 2 || parts.length === 3) && parts.every((p) => /^\d+$/.test(p)) && nums.every((n) => n >= 1 && n <= 4096);
  if (!ok || (parts.length === 3 && nums[0] !== 1 && nums[0] !== 3))
    throw new Error(
      `--csv-shape ${JSON.stringify(text)}: give channels,height,width (channels 1 or 3) or height,width, e.g. --csv-shape 1,28,28`,
    );
  return parts.length === 3 ? { channels: nums[0] as 1 | 3, height: nums[1], width: nums[2] } : { height: nums[0], width: nums[1] };
}

/** How the --data files are read: the upload panel's test split and CSV shape. */
export function dataOptions(values: CliValues): UploadOptions {
  for (const flag of ['test-split', 'csv-shape'] as const)
    if (values[flag] !== undefined && !values.data?.length) throw new Error(`--${flag} applies to --data files; add --data FILE`);
  return {
    ...(values['test-split'] !== undefined && { testFraction: testSplit(values['test-split']) }),
    ...(values['csv-shape'] !== undefined && { csv: csvShape(values['csv-shape']) }),
  };
}

/** What kind of lab file `json` is, when it is one but not an experiment. */
function otherLabFile(json: unknown): string | undefined {
  const format = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { format?: unknown }).format : undefined;
  if (format === 'risotto-lab-model')
    return 'a model card (written by `init` or a weights export next to its .safetensors), not an experiment; pass the experiment JSON (a preset, or the "experiment" of a results export) instead';
  return undefined;
}

/** The experiment a --config file holds: exported results and PyTorch packages carry theirs under "experiment". */
function readConfigFile(path: string, warn: (s: string) => void): ExperimentConfig {
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
    warn(
      `--config ${path}: a ${format === 'risotto-lab-pytorch' ? 'PyTorch package config' : 'results export'}; using the experiment it holds`,
    );
    json = (json as { experiment?: unknown }).experiment;
  }
  const { config, warnings, notes, unknownFields = [] } = decodeExperimentJson(json);
  // A file none of whose fields the experiment has is some other JSON: running the default
  // experiment in its place would be the silent fallback this check exists to prevent.
  const keys = isPlainObject(json) ? Object.keys(json) : [];
  const unknown = (k: string) => unknownFields.includes(`unknown field ${shown(k)}; ignored`);
  if (keys.some(unknown) && keys.every((k) => k === 'version' || unknown(k))) {
    const list = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, ... (${keys.length} in all)` : '');
    throw new Error(
      `--config ${path}: none of its fields (${list}) is an experiment field, so this is not an experiment file; pass an experiment JSON (a preset, a results export, or fields such as "model": {"width": 32}, "steps", "optimizer": {"lr": 0.1}; see --help)`,
    );
  }
  for (const w of [...notes, ...unknownFields]) warn(`--config ${path}: ${w}`);
  // Past the cap the warnings end in "... and N more problems": those N include the unknown
  // fields not shown above them, which are warnings, not problems.
  const more = /^\.\.\. and (\d+) more problems$/;
  const shownUnknown = warnings.filter((w) => unknownFields.includes(w)).length;
  const problems = warnings.flatMap((w) => {
    const m = more.exec(w);
    if (!m) return unknownFields.includes(w) ? [] : [w];
    const hidden = Number(m[1]) - (unknownFields.length - shownUnknown);
    return hidden > 0 ? [`... and ${hidden} more problems`] : [];
  });
  if (problems.length) throw new Error(`--config ${path}:\n- ${problems.join('\n- ')}\nfix these in the file and run again`);
  return config;
}

/** The flag that sets field `key`, as the messages name it. */
const flagOf = (key: string) => `--${fieldByKey(key).flag}`;

/** defaults, then the --config JSON file, then individual flags; checked as a whole. A
 * flag whose field needs one value of another field the user did not give sets it
 * (--blocks means --preset custom); a contradiction is an error. */
export function experimentFrom(values: CliValues, warn: (s: string) => void = () => {}): ExperimentConfig {
  const exp = values.config ? readConfigFile(values.config, warn) : defaultExperiment();
  const given = new Map(
    FIELDS.flatMap((f) => {
      const v = givenValue(f, values);
      return v ? [[f.key, v.value] as const] : [];
    }),
  );
  for (const f of FIELDS) {
    if (!given.has(f.key)) continue;
    if (!fieldApplies(f, exp)) {
      const cond = f.when!;
      const by = fieldByKey(cond.key);
      if (given.has(cond.key) || cond.values.length > 1) {
        throw new Error(
          `--${f.flag} applies only to ${flagOf(cond.key)} ${cond.values.join(' or ')}${given.has(cond.key) ? `, not ${String(fieldValue(exp, by))}` : `: add ${flagOf(cond.key)} ${cond.values[0]}`}`,
        );
      }
      setField(exp, by, cond.values[0]);
    }
    const lr = exp.optimizer.lr;
    setField(exp, f, given.get(f.key));
    // A new optimizer kind keeps the learning rate chosen so far.
    if (f.key === 'opt') exp.optimizer.lr = lr;
    if (f.key === 'steps') {
      const [total, warm] = FOLLOW_STEPS.map((k) => given.has(k));
      if (exp.schedule.kind === 'cosine' && !total) exp.schedule = { ...exp.schedule, totalSteps: exp.steps };
      // A short run keeps at most a tenth of its steps for warmup.
      if (!warm) exp.warmupSteps = Math.min(exp.warmupSteps, Math.floor(exp.steps / 10));
    }
  }
  assertValidExperiment(exp);
  return exp;
}
