// The one table of experiment fields that drives the URL codec both ways and the
// lenient reading of preset JSON: per field its short URL key, its place in
// ExperimentConfig, its value type and range. Reading, clamping and the final repair
// live here too; query strings and compression live in urlCodec.ts.

import { BUILTIN_DATASETS } from '../data/builtin/registry';
import { OPTIMIZER_KINDS, validateOptimizerConfig, type OptimizerConfig, type OptimizerKind } from '../nn/optimizerConfig';
import { BLOCK_TYPES, RESNET_PRESETS, STEM_TYPES, blockOf, type ResNetPresetName } from '../nn/resnetConfig';
import { LR_SCHEDULE_KINDS, validateLrSchedule, type LrSchedule } from '../nn/schedule';
import { BN_STATS_MODES } from '../analysis/bnStats';
import { MAX_SIGNAL_PAIRS, SIGNAL_SOURCES, SPECTRUM_FROM, defaultExperiment, EXPERIMENT_VERSION, validateExperiment, type ExperimentConfig } from './experiment';
import {
  booleanType, choiceType, intListType, numberType, optionalType, schemesType, shown,
  type Checked, type ValueType,
} from './urlValues';

export interface Field<T = unknown> {
  /** Short, readable URL key. */
  key: string;
  /** Where the value sits in ExperimentConfig (and in a preset's JSON). */
  path: readonly string[];
  type: ValueType<T>;
  /** When false the field means nothing for this config (momentum under Adam). */
  applies?: (c: ExperimentConfig) => boolean;
  /** Said when a field is given where it does not apply. */
  onlyFor?: string;
  /** Replaces the path write: a kind field swaps in that kind's base section. */
  set?: (c: ExperimentConfig, v: T) => void;
}

const field = <T>(f: Field<T>): Field => f as unknown as Field;

const isSgd = (c: ExperimentConfig) => c.optimizer.kind === 'sgd' || c.optimizer.kind === 'sgd-nesterov';
const BIG = 1e7;

/** A section's starting point when the URL switches its kind: the defaults' own section
 * if the kind is the default's, else the bare kind. Encoding compares against the same
 * base, so a round trip is exact. */
export function optimizerBase(kind: OptimizerKind): OptimizerConfig {
  const d = defaultExperiment().optimizer;
  if (kind === d.kind) return d;
  const sgd = kind === 'sgd' || kind === 'sgd-nesterov';
  return sgd ? { kind, lr: d.lr, momentum: 0.9, weightDecay: 5e-4 } : { kind, lr: d.lr };
}

export function scheduleBase(kind: LrSchedule['kind']): LrSchedule {
  const d = defaultExperiment().schedule;
  if (kind === d.kind) return d;
  return kind === 'step' ? { kind, milestones: [], gamma: 0.1 } : kind === 'cosine' ? { kind, totalSteps: 1000 } : { kind };
}

const HASH_RE = /^[0-9a-f]{64}$/i;
const BUILTIN_IDS = BUILTIN_DATASETS.map((d) => d.id);

/** A built-in id or an upload's SHA-256; nothing else names a dataset. */
const datasetType: ValueType<string> = {
  parse: (text) => ({ value: text }),
  accept: (x) => {
    const t = typeof x === 'string' ? x.trim().toLowerCase() : undefined;
    if (t !== undefined && (BUILTIN_IDS.includes(t) || HASH_RE.test(t))) return { value: t };
    return { reason: `not a built-in dataset (${BUILTIN_IDS.join(', ')}) nor an upload's 64-hex content hash` };
  },
  format: (v) => v,
  equal: (a, b) => a === b,
};

const PRESETS = [...(Object.keys(RESNET_PRESETS) as ResNetPresetName[]), 'custom' as const];
const momentumRange = { min: 0, max: 0.999999 };

/** In reading order: a kind comes before the fields that depend on it. */
export const SCHEMA: readonly Field[] = [
  field({ key: 'ds', path: ['dataset'], type: datasetType }),
  field({
    key: 'net', path: ['model', 'preset'], type: choiceType(PRESETS),
    set: (c, v) => {
      c.model.preset = v;
      if (v !== 'custom') c.model.blocksPerStage = [...RESNET_PRESETS[v].blocksPerStage];
      if (v !== 'custom') c.model.block = blockOf(RESNET_PRESETS[v]);
    },
  }),
  field({
    key: 'blocks', path: ['model', 'blocksPerStage'], type: intListType({ min: 1, max: 100, integer: true, minLength: 3, maxLength: 4 }),
    applies: (c) => c.model.preset === 'custom', onlyFor: 'net=custom',
  }),
  field({ key: 'blk', path: ['model', 'block'], type: choiceType(BLOCK_TYPES), applies: (c) => c.model.preset === 'custom', onlyFor: 'net=custom' }),
  field({ key: 'stem', path: ['model', 'stem'], type: choiceType(STEM_TYPES) }),
  field({ key: 'w', path: ['model', 'width'], type: numberType({ min: 1, max: 512, integer: true }) }),
  field({ key: 'skip', path: ['model', 'skip'], type: choiceType(['B', 'C'] as const) }),
  field({ key: 'bn', path: ['model', 'batchNorm'], type: booleanType }),
  field({ key: 'init', path: ['schemes'], type: schemesType }),
  field({ key: 'opt', path: ['optimizer', 'kind'], type: choiceType(OPTIMIZER_KINDS), set: (c, v) => (c.optimizer = optimizerBase(v)) }),
  field({ key: 'lr', path: ['optimizer', 'lr'], type: numberType({ min: 1e-8, max: 10 }) }),
  field({ key: 'mom', path: ['optimizer', 'momentum'], type: optionalType(numberType(momentumRange)), applies: isSgd, onlyFor: 'the SGD optimizers' }),
  field({ key: 'wd', path: ['optimizer', 'weightDecay'], type: optionalType(numberType({ min: 0, max: 1 })) }),
  field({ key: 'slr', path: ['optimizer', 'scalarLr'], type: optionalType(numberType({ min: 1e-6, max: 100 })) }),
  field({ key: 'swd', path: ['optimizer', 'scalarWeightDecay'], type: optionalType(booleanType) }),
  field({ key: 'clip', path: ['optimizer', 'clipNorm'], type: optionalType(numberType({ min: 1e-6, max: 1e6 })) }),
  field({ key: 'b1', path: ['optimizer', 'beta1'], type: optionalType(numberType(momentumRange)), applies: (c) => !isSgd(c), onlyFor: 'the Adam optimizers' }),
  field({ key: 'b2', path: ['optimizer', 'beta2'], type: optionalType(numberType(momentumRange)), applies: (c) => !isSgd(c), onlyFor: 'the Adam optimizers' }),
  field({ key: 'eps', path: ['optimizer', 'eps'], type: optionalType(numberType({ min: 1e-12, max: 1 })), applies: (c) => !isSgd(c), onlyFor: 'the Adam optimizers' }),
  field({ key: 'sched', path: ['schedule', 'kind'], type: choiceType(LR_SCHEDULE_KINDS), set: (c, v) => (c.schedule = scheduleBase(v)) }),
  field({
    key: 'ms', path: ['schedule', 'milestones'], type: intListType({ min: 1, max: BIG, integer: true, minLength: 0, maxLength: 64, sorted: true }),
    applies: (c) => c.schedule.kind === 'step', onlyFor: 'sched=step',
  }),
  field({ key: 'gamma', path: ['schedule', 'gamma'], type: numberType({ min: 1e-6, max: 100 }), applies: (c) => c.schedule.kind === 'step', onlyFor: 'sched=step' }),
  field({ key: 'total', path: ['schedule', 'totalSteps'], type: numberType({ min: 1, max: BIG, integer: true }), applies: (c) => c.schedule.kind === 'cosine', onlyFor: 'sched=cosine' }),
  field({ key: 'minlr', path: ['schedule', 'minLr'], type: optionalType(numberType({ min: 0, max: 10 })), applies: (c) => c.schedule.kind === 'cosine', onlyFor: 'sched=cosine' }),
  field({ key: 'warm', path: ['warmupSteps'], type: numberType({ min: 0, max: BIG, integer: true }) }),
  field({ key: 'bs', path: ['batchSize'], type: numberType({ min: 2, max: 4096, integer: true }) }),
  field({ key: 'steps', path: ['steps'], type: numberType({ min: 1, max: BIG, integer: true }) }),
  field({ key: 'eval', path: ['evalEvery'], type: numberType({ min: 1, max: BIG, integer: true }) }),
  field({ key: 'evalb', path: ['evalBatches'], type: numberType({ min: 0, max: 100000, integer: true }) }),
  field({ key: 'flip', path: ['augment', 'flip'], type: booleanType }),
  field({ key: 'crop', path: ['augment', 'cropPad'], type: numberType({ min: 0, max: 8, integer: true }) }),
  field({ key: 'seed', path: ['seed'], type: numberType({ min: 0, max: 2 ** 32 - 1, integer: true }) }),
  field({ key: 'spec', path: ['spectrumAt'], type: intListType({ min: 0, max: BIG, integer: true, minLength: 0, maxLength: 64 }) }),
  field({ key: 'bnst', path: ['diagnostics', 'bnStats'], type: choiceType(BN_STATS_MODES) }),
  field({ key: 'sig', path: ['diagnostics', 'signal'], type: choiceType(SIGNAL_SOURCES) }),
  field({ key: 'icos', path: ['diagnostics', 'inputCosine'], type: numberType({ min: -1, max: 1 }), applies: (c) => c.diagnostics.signal === 'noise', onlyFor: 'sig=noise' }),
  field({ key: 'pairs', path: ['diagnostics', 'pairs'], type: numberType({ min: 1, max: MAX_SIGNAL_PAIRS, integer: true }) }),
  field({ key: 'jfrom', path: ['diagnostics', 'from'], type: choiceType(SPECTRUM_FROM) }),
  field({ key: 'jto', path: ['diagnostics', 'toStage'], type: numberType({ min: 0, max: 4, integer: true }) }),
];

/** Own properties only, so no path can reach a prototype. */
export function getPath(obj: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return { found: false };
    cur = (cur as Record<string, unknown>)[k];
  }
  return { found: true, value: cur };
}

export const fieldValue = (c: ExperimentConfig, f: Field): unknown => getPath(c, f.path).value;

export function setField(c: ExperimentConfig, f: Field, v: unknown): void {
  if (f.set) return f.set(c, v);
  const parent = f.path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, c as unknown as Record<string, unknown>);
  const last = f.path[f.path.length - 1];
  if (v === undefined) delete parent[last];
  else parent[last] = v;
}

/** Where values come from: a URL's key=value pairs or a JSON config. */
export interface FieldSource {
  has(f: Field): boolean;
  raw(f: Field): Checked<unknown>;
  /** How to name the field and its given value in a warning. */
  where(f: Field): string;
}

/** `base` (the defaults, or a preset) with every field the source gives, each checked
 * and clamped; every change or refusal becomes a warning that says what was used instead. */
export function readFields(source: FieldSource, warnings: string[], base: ExperimentConfig = defaultExperiment()): ExperimentConfig {
  const c = structuredClone(base);
  for (const f of SCHEMA) {
    if (!source.has(f)) continue;
    const raw = source.raw(f);
    const got = 'reason' in raw ? raw : f.type.accept(raw.value);
    const notes = ['note' in raw ? raw.note : undefined, 'note' in got ? got.note : undefined].filter(Boolean);
    if (f.applies && !f.applies(c)) {
      // A full config (preset JSON) carries such fields harmlessly when they match.
      if (!('value' in got && f.type.equal(got.value, fieldValue(c, f)))) warnings.push(`${source.where(f)}: applies only to ${f.onlyFor}, ignored`);
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
export function repairExperiment(c: ExperimentConfig, warnings: string[], base: ExperimentConfig = defaultExperiment(), baseName = 'default'): ExperimentConfig {
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

/** The version check shared by URL and JSON: another version is read as ours, loudly.
 * None at all is read as ours quietly: hand-written links (`?w=32`) are welcome. */
export function checkVersion(raw: unknown, where: string, warnings: string[]): void {
  if (raw === EXPERIMENT_VERSION) return;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > EXPERIMENT_VERSION) {
    warnings.push(`${where}: made by a newer lab (version ${raw}); this lab reads version ${EXPERIMENT_VERSION}, so some settings may be lost or read differently`);
  } else if (raw !== undefined) {
    warnings.push(`${where}: unknown version ${shown(raw)}; read as version ${EXPERIMENT_VERSION}`);
  }
}
