// A run's own model settings, declared once: per setting its link key (`he[bn:1]`), its
// name in a run's JSON `model`, value type, label and the words of a run's label. Also
// what the settings do: the ResNet config a run trains, its label, and its initial
// a_res / a_skip. Not the parsing of a run list (runListType.ts).

import type { InitValues, ResNetModel, ResNetConfig } from '../nn';
import { INIT_SCHEMES } from '../nn';
import type { RunChoice, RunModel } from './experimentConfig';
import { booleanType, choiceType, formatNumber, intListType, numberType, type ValueType } from './urlValues';

export interface RunModelField<K extends keyof RunModel = keyof RunModel> {
  /** Key inside a run's brackets in a link. */
  key: string;
  name: K;
  type: ValueType<NonNullable<RunModel[K]>>;
  label: string;
  help: string;
  /** How the run's label says it. */
  words(v: NonNullable<RunModel[K]>): string;
}

const field = <K extends keyof RunModel>(f: RunModelField<K>): RunModelField => f as unknown as RunModelField;
const SCALAR = { min: -100, max: 100 };

/** In the order a link writes them. */
export const RUN_MODEL_FIELDS: readonly RunModelField[] = [
  field({
    key: 'bn',
    name: 'batchNorm',
    type: booleanType,
    label: 'BN',
    help: 'this run with or without BatchNorm',
    words: (v) => (v ? '+ BN' : 'without BN'),
  }),
  field({
    key: 'skip',
    name: 'skip',
    type: choiceType(['B', 'C'] as const),
    label: 'Skips',
    help: 'Type B (identity) or Type C (1x1 convolution) skips',
    words: (v) => `Type ${v}`,
  }),
  field({
    key: 'ares',
    name: 'aRes',
    type: numberType(SCALAR),
    label: 'a_res',
    help: "every block's initial residual-branch weight",
    words: (v) => `a_res ${formatNumber(v)}`,
  }),
  field({
    key: 'askip',
    name: 'aSkip',
    type: numberType(SCALAR),
    label: 'a_skip',
    help: "every block's initial skip weight",
    words: (v) => `a_skip ${formatNumber(v)}`,
  }),
  field({
    key: 'lres',
    name: 'learnRes',
    type: booleanType,
    label: 'Learn a_res',
    help: 'a_res is trained with the weights (else a constant)',
    words: (v) => (v ? 'learnable a_res' : 'fixed a_res'),
  }),
  field({
    key: 'lskip',
    name: 'learnSkip',
    type: booleanType,
    label: 'Learn a_skip',
    help: 'a_skip is trained with the weights (else a constant)',
    words: (v) => (v ? 'learnable a_skip' : 'fixed a_skip'),
  }),
  field({
    key: 'blocks',
    name: 'blocksPerStage',
    type: intListType({ min: 1, max: 100, integer: true, minLength: 3, maxLength: 4 }),
    label: 'Blocks per stage',
    help: "this run's residual blocks per stage (3 or 4 stages)",
    words: (v) => `blocks ${v.join(',')}`,
  }),
];

/** The settings a run gives itself, in table order. */
export const runModelEntries = (m: RunModel | undefined): [RunModelField, unknown][] =>
  RUN_MODEL_FIELDS.filter((f) => m?.[f.name] !== undefined).map((f) => [f, m![f.name]]);

/** "He + BN", "Risotto without BN, learnable a_res": the scheme and what the run changes. */
export function runLabel(run: RunChoice): string {
  const base = INIT_SCHEMES[run.id]?.label ?? run.id;
  const entries = runModelEntries(run.model);
  const bn = entries.find(([f]) => f.name === 'batchNorm');
  const rest = entries.filter((e) => e !== bn).map(([f, v]) => f.words(v as never));
  return `${base}${bn ? ` ${bn[0].words(bn[1] as never)}` : ''}${rest.length ? `, ${rest.join(', ')}` : ''}`;
}

/** `base` with the run's architecture settings; the scheme adjusts it afterwards. */
export function withRunModel(base: ResNetConfig, m: RunModel | undefined): ResNetConfig {
  if (!m) return base;
  const c = { ...base };
  if (m.batchNorm !== undefined) c.batchNorm = m.batchNorm;
  if (m.skip !== undefined) c.skip = m.skip;
  if (m.learnRes !== undefined) c.learnRes = m.learnRes;
  if (m.learnSkip !== undefined) c.learnSkip = m.learnSkip;
  if (m.blocksPerStage !== undefined) c.blocksPerStage = [...m.blocksPerStage];
  return c;
}

const SCALAR_OPTIONS = { aRes: 'aRes', aSkip: 'aSkip' } as const;

/** The scheme's options with the run's a_res / a_skip where the scheme has such an
 * option (Risotto builds its weights around them), so the scheme stays exact. */
export function schemeOptions(run: RunChoice): RunChoice['options'] {
  const specs = INIT_SCHEMES[run.id]?.options ?? [];
  const out: Record<string, number | string> = { ...(run.options ?? {}) };
  for (const name of Object.keys(SCALAR_OPTIONS) as (keyof typeof SCALAR_OPTIONS)[]) {
    const v = run.model?.[name];
    if (v !== undefined && specs.some((s) => s.key === name)) out[name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The a_res / a_skip the run fixes that its scheme has no option for: set after the scheme. */
export function fixedScalars(run: RunChoice): { aRes?: number; aSkip?: number } {
  const specs = INIT_SCHEMES[run.id]?.options ?? [];
  const out: { aRes?: number; aSkip?: number } = {};
  for (const name of Object.keys(SCALAR_OPTIONS) as (keyof typeof SCALAR_OPTIONS)[]) {
    const v = run.model?.[name];
    if (v !== undefined && !specs.some((s) => s.key === name)) out[name] = v;
  }
  return out;
}

/** Sets every block's a_res / a_skip the run fixes, for schemes without such an option. */
export function applyRunScalars(model: ResNetModel, run: RunChoice, values: InitValues): InitValues {
  const fixed = fixedScalars(run);
  for (const p of model.params) {
    const v = p.kind === 'aRes' || p.kind === 'aSkip' ? fixed[p.kind] : undefined;
    if (v !== undefined) values.set(p.id, Float64Array.of(v));
  }
  return values;
}
