// Command-line options of `npm run lab -- <command>` and how they override an
// experiment config (defaults < --config file < flags). The file is read by the same
// lenient JSON reader as a preset or an imported results file, and each flag by the
// same field types as a link; here every problem is an error naming the file or flag,
// except unknown fields in the file, which are warnings.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assertValidExperiment, defaultExperiment, type ExperimentConfig } from '../lab';
import { FIELDS, fieldApplies, fieldByKey, fieldValue, setField } from '../lab';
import { decodeExperimentJson } from '../lab';
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
  for (const w of [...notes, ...unknownFields]) warn(`--config ${path}: ${w}`);
  const problems = warnings.filter((w) => !unknownFields.includes(w));
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
