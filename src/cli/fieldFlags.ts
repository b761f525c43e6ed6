// The command-line flags of the experiment fields, all derived from the field table
// (lab/experimentFields.ts): the parseArgs options (a boolean gets --X and --no-X), how a
// flag's text is checked, the --help lines, and the flags that describe a config. The
// order of precedence and --config live in args.ts.

import { defaultExperiment, FIELDS, fieldApplies, fieldValue, setField, type ExperimentField, describeShape, formatNumber } from '../lab';
import type { ExperimentConfig } from '../lab';

const isBooleanField = (f: ExperimentField): boolean => f.type.shape.kind === 'boolean';

/** parseArgs options for every field. */
export function fieldOptions(): Record<string, { type: 'string' | 'boolean' }> {
  const out: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const f of FIELDS) {
    if (isBooleanField(f)) {
      out[f.flag] = { type: 'boolean' };
      out[`no-${f.flag}`] = { type: 'boolean' };
    } else out[f.flag] = { type: 'string' };
  }
  return out;
}

/** The flag's text read and checked as its field: a value that would be clamped or
 * refused is an error naming the flag, never a silent change. */
function flagValue(f: ExperimentField, text: string): unknown {
  const parsed = f.type.parse(text.trim());
  const got = 'reason' in parsed ? parsed : f.type.accept(parsed.value);
  if ('reason' in got) throw new Error(`--${f.flag} ${JSON.stringify(text)}: ${got.reason}`);
  const note = ['note' in parsed ? parsed.note : undefined, got.note].filter(Boolean).join('; ');
  if (note) throw new Error(`--${f.flag} ${JSON.stringify(text)}: ${note}; give a value in range`);
  return got.value;
}

/** The value a field's flags give, or undefined when none is given; --X with --no-X is
 * an error. An optional field's empty text (--clip=) gives { value: undefined }: unset. */
export function givenValue(f: ExperimentField, values: Record<string, unknown>): { value: unknown } | undefined {
  if (isBooleanField(f)) {
    const on = values[f.flag] === true;
    const off = values[`no-${f.flag}`] === true;
    if (on && off) throw new Error(`--${f.flag} and --no-${f.flag} contradict each other; give one`);
    return on ? { value: true } : off ? { value: false } : undefined;
  }
  const text = values[f.flag];
  return typeof text === 'string' ? { value: flagValue(f, text) } : undefined;
}

/** Fields that follow --steps unless given: the cosine's length and (capped) the warmup. */
export const FOLLOW_STEPS = ['total', 'warm'] as const;

const metavar = (f: ExperimentField): string => {
  const s = f.type.shape;
  if (s.kind === 'choice') return s.choices.length <= 3 ? s.choices.join('|') : 'NAME';
  if (s.kind === 'list') return s.range.minLength >= 3 ? '1,1,1' : 'N,N';
  if (s.kind === 'number') return s.range.integer ? 'N' : 'X';
  return 'TEXT';
};

const defaultText = (f: ExperimentField): string => {
  const d = f.default;
  if (d === undefined) return '';
  if (isBooleanField(f)) return d ? '; default on' : '; default off';
  return `; default ${typeof d === 'number' ? formatNumber(d) : f.type.format(d)}`;
};

/** The --help lines of the field flags, in table order. */
export function fieldFlagsHelp(): string {
  return FIELDS.map((f) => {
    const name = isBooleanField(f) ? `--${f.flag} / --no-${f.flag}` : `--${f.flag} ${metavar(f)}`;
    const when = f.when ? ` (with --${FIELDS.find((g) => g.key === f.when!.key)!.flag} ${f.when.values.join('|')})` : '';
    const what = `${f.label}${f.unit ? ` [${f.unit}]` : ''}: ${f.help}${when}; ${describeShape(f.type.shape)}${defaultText(f)}`;
    return `  ${name.padEnd(28)} ${what}`;
  }).join('\n');
}

/** Flags that give `c` on top of the defaults: fields that apply and differ from what the
 * flags so far give (a kind flag swaps in its base section), in table order. */
export function flagsFor(c: ExperimentConfig): string[] {
  const d = defaultExperiment();
  const stepsGiven = c.steps !== d.steps;
  const out: string[] = [];
  for (const f of FIELDS) {
    if (!fieldApplies(f, c)) continue;
    const v = fieldValue(c, f);
    const follows = stepsGiven && (FOLLOW_STEPS as readonly string[]).includes(f.key);
    if (!follows && f.type.equal(v as never, fieldValue(d, f) as never)) continue;
    if (isBooleanField(f)) out.push(v ? `--${f.flag}` : `--no-${f.flag}`);
    else out.push(`--${f.flag}=${v === undefined ? '' : f.type.format(v as never)}`);
    setField(d, f, v);
  }
  return out;
}
