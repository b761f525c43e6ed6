// Lenient reading of experiment fields from a link or a JSON file, driven by the field
// table (experimentFields.ts): each value checked and clamped with a warning, then the
// final repair of clashing parts. Query strings and compression live in urlCodec.ts.

import { validateOptimizerConfig, validateLrSchedule } from '../nn';
import { EXPERIMENT_VERSION, READABLE_VERSIONS, type ExperimentConfig } from './experimentConfig';
import { validateExperiment } from './experimentChecks';
import { defaultExperiment, FIELDS, fieldApplies, fieldValue, onlyFor, setField, type ExperimentField } from './experimentFields';
import { shown, type Checked } from './urlValues';

type Field = ExperimentField;
/** The field table, as the codec walks it. */
export const SCHEMA = FIELDS;
export { fieldValue, getPath, setField } from './experimentFields';

/** Where values come from: a URL's key=value pairs or a JSON config. */
export interface FieldSource {
  has(f: Field): boolean;
  raw(f: Field): Checked<unknown>;
  /** How to name the field and its given value in a warning. */
  where(f: Field): string;
  /** True when the field's absence means "not set" rather than "keep the base's". */
  unset?(f: Field): boolean;
}

/** `base` (the defaults, or a preset) with every field the source gives, each checked
 * and clamped; every change or refusal becomes a warning that says what was used instead. */
export function readFields(source: FieldSource, warnings: string[], base: ExperimentConfig = defaultExperiment()): ExperimentConfig {
  const c = structuredClone(base);
  for (const f of SCHEMA) {
    if (!source.has(f)) {
      if (source.unset?.(f) && fieldApplies(f, c)) setField(c, f, undefined);
      continue;
    }
    const raw = source.raw(f);
    const got = 'reason' in raw ? raw : f.type.accept(raw.value);
    const notes = ['note' in raw ? raw.note : undefined, 'note' in got ? got.note : undefined].filter(Boolean);
    if (!fieldApplies(f, c)) {
      // A full config (preset JSON) carries such fields harmlessly when they match.
      if (!('value' in got && f.type.equal(got.value, fieldValue(c, f))))
        warnings.push(`${source.where(f)}: applies only to ${onlyFor(f)}, ignored`);
      continue;
    }
    if ('reason' in got) {
      warnings.push(`${source.where(f)}: ${got.reason}; used the default ${shown(f.type.format(fieldValue(c, f))) || '(none)'}`);
      continue;
    }
    setField(c, f, got.value);
    if (notes.length) warnings.push(`${source.where(f)}: ${notes.join('; ')}`);
  }
  return c;
}

/** Fields that are each fine can still clash (cosine total <= warmup, Nesterov without
 * momentum); such a part falls back to `base`'s (the defaults' or a preset's), and
 * anything still wrong to the whole base experiment. */
export function repairExperiment(
  c: ExperimentConfig,
  warnings: string[],
  base: ExperimentConfig = defaultExperiment(),
  baseName = 'default',
): ExperimentConfig {
  const d = structuredClone(base);
  const optimizerErrors = validateOptimizerConfig(c.optimizer);
  if (optimizerErrors.length) {
    warnings.push(`optimizer: ${optimizerErrors.join('; ')}; used the ${baseName} optimizer`);
    c.optimizer = d.optimizer;
  }
  const scheduleErrors = validateLrSchedule(c.optimizer.lr, c.schedule, c.warmupSteps);
  if (scheduleErrors.length) {
    warnings.push(`schedule: ${scheduleErrors.join('; ')}; used the ${baseName} schedule and warmup`);
    c.schedule = d.schedule;
    c.warmupSteps = d.warmupSteps;
  }
  const rest = validateExperiment(c);
  if (rest.length) {
    warnings.push(`the experiment still cannot run (${rest.join('; ')}); used the ${baseName} experiment`);
    return d;
  }
  return c;
}

/** The version check shared by URL and JSON: an older version this lab reads as it is
 * gets a note; another version is read as ours, loudly. None at all is read as ours
 * quietly: hand-written links (`?w=32`) are welcome. */
export function checkVersion(raw: unknown, where: string, warnings: string[], notes: string[] = []): void {
  if (raw === EXPERIMENT_VERSION) return;
  if (typeof raw === 'number' && READABLE_VERSIONS.includes(raw)) {
    notes.push(
      `${where}: made by version ${raw} of the lab; opened unchanged as version ${EXPERIMENT_VERSION}, whose runs can also carry their own model settings (e.g. init=he,he[bn:1])`,
    );
  } else if (typeof raw === 'number' && Number.isInteger(raw) && raw > EXPERIMENT_VERSION) {
    warnings.push(
      `${where}: made by a newer lab (version ${raw}); this lab reads version ${EXPERIMENT_VERSION}, so some settings may be lost or read differently`,
    );
  } else if (raw !== undefined) {
    warnings.push(`${where}: unknown version ${shown(raw)}; read as version ${EXPERIMENT_VERSION}`);
  }
}
