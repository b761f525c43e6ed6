// The one table of experiment fields: per field its URL key, CLI flag, place in
// ExperimentConfig, value type and range, default, label, unit and help. The URL codec,
// the validator (experimentChecks.ts), the form's limits and the CLI's flags and --help
// are all derived from it. Not the reading of links (urlSchema.ts, urlCodec.ts).

import { BN_STATS_MODES } from '../analysis';
import { BUILTIN_DATASETS } from '../data';
import {
  OPTIMIZER_KINDS,
  type OptimizerConfig,
  type OptimizerKind,
  BLOCK_TYPES,
  RESNET_PRESETS,
  STEM_TYPES,
  blockOf,
  type ResNetPresetName,
  LR_SCHEDULE_KINDS,
  type LrSchedule,
} from '../nn';
import { EXPERIMENT_VERSION, MAX_SIGNAL_PAIRS, SIGNAL_SOURCES, SPECTRUM_FROM, type ExperimentConfig } from './experimentConfig';
import { schemesType } from './runListType';
import { STANDARD_DATASETS } from './standardDatasets';
import { MAX_SEEDS } from './seeds';
import { booleanType, choiceType, intListType, numberType, optionalType, type ValueType } from './urlValues';

/** The field means something only while field `key` has one of `values`. */
interface FieldCondition {
  key: string;
  values: readonly string[];
  /** How a warning names the condition, when not `key=value`. */
  says?: string;
}

export interface ExperimentField<T = unknown> {
  /** Short, readable URL key. */
  key: string;
  /** Command-line flag, without the dashes; a boolean also gets --no-<flag>. */
  flag: string;
  /** Where the value sits in ExperimentConfig (and in a preset's JSON). */
  path: readonly string[];
  type: ValueType<T>;
  /** Its value in the default experiment; undefined: absent there (the optimizer's or schedule's own default). */
  default: NoInfer<T> | undefined;
  label: string;
  help: string;
  unit?: string;
  when?: FieldCondition;
  /** Replaces the path write: a kind field swaps in that kind's base section. */
  set?: (c: ExperimentConfig, v: T) => void;
}

const field = <T>(f: ExperimentField<T>): ExperimentField => f as unknown as ExperimentField;

const BIG = 1e7;
const HASH_RE = /^[0-9a-f]{64}$/i;
const BUILTIN_IDS = BUILTIN_DATASETS.map((d) => d.id);
const STANDARD_IDS = STANDARD_DATASETS.map((d) => d.id);
const PRESETS = [...(Object.keys(RESNET_PRESETS) as ResNetPresetName[]), 'custom' as const];
const SGD_KINDS: readonly OptimizerKind[] = ['sgd', 'sgd-nesterov'];
const ADAM_KINDS: readonly OptimizerKind[] = OPTIMIZER_KINDS.filter((k) => !SGD_KINDS.includes(k));
const momentumRange = { min: 0, max: 0.999999 };
const onlySgd: FieldCondition = { key: 'opt', values: SGD_KINDS, says: 'the SGD optimizers' };
const onlyAdam: FieldCondition = { key: 'opt', values: ADAM_KINDS, says: 'the Adam optimizers' };

/** A built-in id, a standard benchmark the user uploads (cifar10...) or an upload's
 * SHA-256; nothing else names a dataset. */
const datasetType: ValueType<string> = {
  parse: (text) => ({ value: text }),
  accept: (x) => {
    const t = typeof x === 'string' ? x.trim().toLowerCase() : undefined;
    if (t !== undefined && (BUILTIN_IDS.includes(t) || STANDARD_IDS.includes(t) || HASH_RE.test(t))) return { value: t };
    return {
      reason: `not a dataset: built-in ${BUILTIN_IDS.join(', ')}; uploaded once ${STANDARD_IDS.join(', ')}; or an upload's content hash`,
    };
  },
  format: (v) => v,
  equal: (a, b) => a === b,
  shape: { kind: 'text', example: BUILTIN_IDS[0] },
};

/** In reading order: a kind comes before the fields that depend on it. */
export const FIELDS: readonly ExperimentField[] = [
  field({
    key: 'ds',
    flag: 'dataset',
    path: ['dataset'],
    type: datasetType,
    default: 'shapes',
    label: 'Dataset',
    help: "a built-in dataset, a standard one you upload once (cifar10, cifar100, tiny-imagenet) or an upload's content hash",
  }),
  field({
    key: 'net',
    flag: 'preset',
    path: ['model', 'preset'],
    type: choiceType(PRESETS),
    default: 'resnet8',
    label: 'Preset',
    help: 'ResNet depth preset, or custom to give the blocks per stage',
    set: (c, v) => {
      c.model.preset = v;
      if (v !== 'custom') c.model.blocksPerStage = [...RESNET_PRESETS[v].blocksPerStage];
      if (v !== 'custom') c.model.block = blockOf(RESNET_PRESETS[v]);
    },
  }),
  field({
    key: 'blocks',
    flag: 'blocks',
    path: ['model', 'blocksPerStage'],
    type: intListType({ min: 1, max: 100, integer: true, minLength: 3, maxLength: 4 }),
    default: [1, 1, 1],
    label: 'Blocks per stage',
    help: 'residual blocks in each stage, 3 or 4 stages: widths w, 2w, 4w (, 8w)',
    when: { key: 'net', values: ['custom'] },
  }),
  field({
    key: 'blk',
    flag: 'block',
    path: ['model', 'block'],
    type: choiceType(BLOCK_TYPES),
    default: 'basic',
    label: 'Block',
    help: 'basic: two 3x3 convolutions; bottleneck: 1x1, 3x3, 1x1 with a 4x wider output (presets fix it)',
    when: { key: 'net', values: ['custom'] },
  }),
  field({
    key: 'stem',
    flag: 'stem',
    path: ['model', 'stem'],
    type: choiceType(STEM_TYPES),
    default: 'cifar',
    label: 'Stem',
    help: 'cifar: one 3x3 convolution; imagenet: a 7x7 stride-2 convolution and a 3x3 stride-2 max-pool',
  }),
  field({
    key: 'w',
    flag: 'width',
    path: ['model', 'width'],
    type: numberType({ min: 1, max: 512, integer: true }),
    default: 16,
    label: 'Width',
    unit: 'channels',
    help: 'channels of the first stage; later stages double it',
  }),
  field({
    key: 'skip',
    flag: 'skip',
    path: ['model', 'skip'],
    type: choiceType(['B', 'C'] as const),
    default: 'B',
    label: 'Skips',
    help: 'Type B: identity except where the shape changes; Type C: a 1x1 convolution on every skip',
  }),
  field({
    key: 'bn',
    flag: 'bn',
    path: ['model', 'batchNorm'],
    type: booleanType,
    default: false,
    label: 'BatchNorm',
    help: 'BatchNorm after every convolution',
  }),
  field({
    key: 'init',
    flag: 'schemes',
    path: ['schemes'],
    type: schemesType,
    default: [{ id: 'risotto' }, { id: 'he' }, { id: 'fixup' }, { id: 'skipinit' }],
    label: 'Initialization schemes',
    help: 'the schemes to compare, each with its options',
  }),
  field({
    key: 'opt',
    flag: 'optimizer',
    path: ['optimizer', 'kind'],
    type: choiceType(OPTIMIZER_KINDS),
    default: 'sgd',
    label: 'Optimizer',
    help: 'the update rule',
    set: (c, v) => (c.optimizer = optimizerBase(v)),
  }),
  field({
    key: 'lr',
    flag: 'lr',
    path: ['optimizer', 'lr'],
    type: numberType({ min: 1e-8, max: 10 }),
    default: 0.05,
    label: 'Learning rate',
    help: 'base learning rate; the schedule scales it per step',
  }),
  field({
    key: 'mom',
    flag: 'momentum',
    path: ['optimizer', 'momentum'],
    type: optionalType(numberType(momentumRange)),
    default: 0.9,
    label: 'Momentum',
    help: 'heavy-ball momentum',
    when: onlySgd,
  }),
  field({
    key: 'wd',
    flag: 'weight-decay',
    path: ['optimizer', 'weightDecay'],
    type: optionalType(numberType({ min: 0, max: 1 })),
    default: 5e-4,
    label: 'Weight decay',
    help: "L2 penalty (decoupled for AdamW); empty: the optimizer's default",
  }),
  field({
    key: 'slr',
    flag: 'scalar-lr',
    path: ['optimizer', 'scalarLr'],
    type: optionalType(numberType({ min: 1e-6, max: 100 })),
    default: undefined,
    label: 'Scalar LR factor',
    help: "the scalar parameters (a_res / a_skip, Fixup's biases and multipliers) train at this times the learning rate; empty: the scheme's (0.1 for Fixup, else 1)",
  }),
  field({
    key: 'swd',
    flag: 'scalar-decay',
    path: ['optimizer', 'scalarWeightDecay'],
    type: optionalType(booleanType),
    default: undefined,
    label: 'Decay scalars',
    help: 'weight decay on those scalar parameters too (empty: yes)',
  }),
  field({
    key: 'clip',
    flag: 'clip',
    path: ['optimizer', 'clipNorm'],
    type: optionalType(numberType({ min: 1e-6, max: 1e6 })),
    default: undefined,
    label: 'Clip grad norm',
    help: 'clip the global gradient L2 norm to this before each update; empty: no clipping',
  }),
  field({
    key: 'b1',
    flag: 'beta1',
    path: ['optimizer', 'beta1'],
    type: optionalType(numberType(momentumRange)),
    default: undefined,
    label: 'Beta1',
    help: "Adam's first-moment decay (default 0.9)",
    when: onlyAdam,
  }),
  field({
    key: 'b2',
    flag: 'beta2',
    path: ['optimizer', 'beta2'],
    type: optionalType(numberType(momentumRange)),
    default: undefined,
    label: 'Beta2',
    help: "Adam's second-moment decay (default 0.999)",
    when: onlyAdam,
  }),
  field({
    key: 'eps',
    flag: 'eps',
    path: ['optimizer', 'eps'],
    type: optionalType(numberType({ min: 1e-12, max: 1 })),
    default: undefined,
    label: 'Epsilon',
    help: "Adam's denominator guard (default 1e-8)",
    when: onlyAdam,
  }),
  field({
    key: 'sched',
    flag: 'schedule',
    path: ['schedule', 'kind'],
    type: choiceType(LR_SCHEDULE_KINDS),
    default: 'cosine',
    label: 'LR schedule',
    help: 'how the rate changes over the steps',
    set: (c, v) => (c.schedule = scheduleBase(v)),
  }),
  field({
    key: 'ms',
    flag: 'milestones',
    path: ['schedule', 'milestones'],
    type: intListType({ min: 1, max: BIG, integer: true, minLength: 0, maxLength: 64, sorted: true }),
    default: undefined,
    label: 'Milestones',
    unit: 'steps',
    help: 'steps after which the rate is multiplied by the decay factor',
    when: { key: 'sched', values: ['step'] },
  }),
  field({
    key: 'gamma',
    flag: 'gamma',
    path: ['schedule', 'gamma'],
    type: numberType({ min: 1e-6, max: 100 }),
    default: undefined,
    label: 'Decay factor',
    help: '0.1 divides the rate by 10 at each milestone',
    when: { key: 'sched', values: ['step'] },
  }),
  field({
    key: 'total',
    flag: 'total-steps',
    path: ['schedule', 'totalSteps'],
    type: numberType({ min: 1, max: BIG, integer: true }),
    default: 1000,
    label: 'Cosine length',
    unit: 'steps',
    help: 'steps over which the rate decays (warmup included); follows Steps unless you change it',
    when: { key: 'sched', values: ['cosine'] },
  }),
  field({
    key: 'minlr',
    flag: 'min-lr',
    path: ['schedule', 'minLr'],
    type: optionalType(numberType({ min: 0, max: 10 })),
    default: undefined,
    label: 'Minimum LR',
    help: 'the rate at the end of the cosine (default 0)',
    when: { key: 'sched', values: ['cosine'] },
  }),
  field({
    key: 'warm',
    flag: 'warmup',
    path: ['warmupSteps'],
    type: numberType({ min: 0, max: BIG, integer: true }),
    default: 20,
    label: 'Warmup',
    unit: 'steps',
    help: 'linear ramp of the rate over the first steps (0: none)',
  }),
  field({
    key: 'bs',
    flag: 'batch',
    path: ['batchSize'],
    type: numberType({ min: 2, max: 4096, integer: true }),
    default: 64,
    label: 'Batch size',
    unit: 'images',
    help: 'images per training step',
  }),
  field({
    key: 'steps',
    flag: 'steps',
    path: ['steps'],
    type: numberType({ min: 1, max: BIG, integer: true }),
    default: 1000,
    label: 'Steps',
    help: 'training steps',
  }),
  field({
    key: 'eval',
    flag: 'eval-every',
    path: ['evalEvery'],
    type: numberType({ min: 1, max: BIG, integer: true }),
    default: 100,
    label: 'Eval every',
    unit: 'steps',
    help: 'test-set evaluation every this many steps, and at the end',
  }),
  field({
    key: 'evalb',
    flag: 'eval-batches',
    path: ['evalBatches'],
    type: numberType({ min: 0, max: 100000, integer: true }),
    default: 4,
    label: 'Eval batches',
    help: 'test batches per evaluation; 0 evaluates the whole test split',
  }),
  field({
    key: 'flip',
    flag: 'flip',
    path: ['augment', 'flip'],
    type: booleanType,
    default: true,
    label: 'Random flip',
    help: 'mirror each training image left-right with probability 1/2',
  }),
  field({
    key: 'crop',
    flag: 'crop-pad',
    path: ['augment', 'cropPad'],
    type: numberType({ min: 0, max: 8, integer: true }),
    default: 2,
    label: 'Crop padding',
    unit: 'px',
    help: 'pad by this many pixels, then crop at a random offset (0: off)',
  }),
  field({
    key: 'mix',
    flag: 'mixup',
    path: ['augment', 'mixup'],
    // Optional: experiments saved before mixup existed read as mixup off.
    type: optionalType(numberType({ min: 0, max: 100 })),
    default: 0,
    label: 'Mixup alpha',
    help: 'mix each training batch with a shuffled copy of itself, lambda ~ Beta(alpha, alpha) per batch (Zhang et al.; the Fixup paper uses 1); 0 or empty: off',
  }),
  field({
    key: 'seed',
    flag: 'seed',
    path: ['seed'],
    type: numberType({ min: 0, max: 2 ** 32 - 1, integer: true }),
    default: 1,
    label: 'Seed',
    help: 'same seed, same init draws and data order for every scheme',
  }),
  field({
    key: 'seeds',
    flag: 'seeds',
    path: ['seeds'],
    type: numberType({ min: 1, max: MAX_SEEDS, integer: true }),
    default: 1,
    label: 'Seeds',
    help: 'each run is repeated with seeds seed, seed + 1, ...; the charts show the mean with a min-max band, the tables mean ± std',
  }),
  field({
    key: 'tgt',
    flag: 'loss-target',
    path: ['lossTarget'],
    type: numberType({ min: 1e-6, max: 100 }),
    default: 0.5,
    label: 'Target loss',
    help: 'the runs table and the results count the steps each run takes until its training loss first reaches this',
  }),
  field({
    key: 'spec',
    flag: 'spectrum-at',
    path: ['spectrumAt'],
    type: intListType({ min: 0, max: BIG, integer: true, minLength: 0, maxLength: 64 }),
    default: [0],
    label: 'Spectrum at',
    unit: 'steps',
    help: 'steps at which the Jacobian spectrum is measured (0: at init)',
  }),
  field({
    key: 'bnst',
    flag: 'bn-stats',
    path: ['diagnostics', 'bnStats'],
    type: choiceType(BN_STATS_MODES),
    default: 'batch',
    label: 'BatchNorm statistics',
    help: "diagnostics' BatchNorm: a reference batch's statistics (the network being trained) or the running ones (inference)",
  }),
  field({
    key: 'sig',
    flag: 'signal',
    path: ['diagnostics', 'signal'],
    type: choiceType(SIGNAL_SOURCES),
    default: 'data',
    label: 'Signal inputs',
    help: 'signal propagation on training-image pairs of different classes, or Gaussian pairs',
  }),
  field({
    key: 'icos',
    flag: 'input-cosine',
    path: ['diagnostics', 'inputCosine'],
    type: numberType({ min: -1, max: 1 }),
    default: 0,
    label: 'Input cosine',
    help: "the Gaussian pairs' cosine",
    when: { key: 'sig', values: ['noise'] },
  }),
  field({
    key: 'pairs',
    flag: 'pairs',
    path: ['diagnostics', 'pairs'],
    type: numberType({ min: 1, max: MAX_SIGNAL_PAIRS, integer: true }),
    default: 8,
    label: 'Signal pairs',
    help: 'input pairs for signal propagation',
  }),
  field({
    key: 'jfrom',
    flag: 'from',
    path: ['diagnostics', 'from'],
    type: choiceType(SPECTRUM_FROM),
    default: 'image',
    label: 'Spectrum from',
    help: "the spectrum's map starts at the image or at the stem's output",
  }),
  field({
    key: 'fw',
    flag: 'full-width',
    path: ['fullWidth'],
    type: optionalType(numberType({ min: 1, max: 1024, integer: true })),
    default: undefined,
    label: 'Full-size width',
    help: "the PyTorch export's full-size run (train.py --full) builds the model at this base width; empty: the lab's",
  }),
  field({
    key: 'fep',
    flag: 'full-epochs',
    path: ['fullEpochs'],
    type: optionalType(numberType({ min: 0.01, max: 10000 })),
    default: undefined,
    label: 'Full-size epochs',
    unit: 'epochs',
    help: "the PyTorch export's full-size run (train.py --full) trains this many epochs; empty: the lab's steps",
  }),
  field({
    key: 'jto',
    flag: 'to-stage',
    path: ['diagnostics', 'toStage'],
    type: numberType({ min: 0, max: 4, integer: true }),
    default: 0,
    label: 'Spectrum to stage',
    help: "the spectrum's map ends at the last block (0) or at the end of this stage",
  }),
];

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

export function fieldByKey(key: string): ExperimentField {
  const f = BY_KEY.get(key);
  if (!f) throw new Error(`no experiment field with key ${key}`);
  return f;
}

/** Own properties only, so no path can reach a prototype. */
export function getPath(obj: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k))
      return { found: false };
    cur = (cur as Record<string, unknown>)[k];
  }
  return { found: true, value: cur };
}

export const fieldValue = (c: ExperimentConfig, f: ExperimentField): unknown => getPath(c, f.path).value;

function writePath(c: object, path: readonly string[], v: unknown): void {
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, c as Record<string, unknown>);
  const last = path[path.length - 1];
  if (v === undefined) delete parent[last];
  else parent[last] = v;
}

export function setField(c: ExperimentConfig, f: ExperimentField, v: unknown): void {
  if (f.set) f.set(c, v);
  else writePath(c, f.path, v);
}

/** False when the field means nothing for this config (momentum under Adam). */
export function fieldApplies(f: ExperimentField, c: ExperimentConfig): boolean {
  if (!f.when) return true;
  return f.when.values.includes(fieldValue(c, fieldByKey(f.when.key)) as string);
}

/** The condition in a link's words: "net=custom", "the SGD optimizers". */
export const onlyFor = (f: ExperimentField): string => f.when?.says ?? `${f.when?.key}=${f.when?.values.join('|')}`;

/** The default experiment, written from the table's defaults. */
export function defaultExperiment(): ExperimentConfig {
  const c = { version: EXPERIMENT_VERSION, model: {}, optimizer: {}, schedule: {}, augment: {}, diagnostics: {} };
  for (const f of FIELDS) if (f.default !== undefined) writePath(c, f.path, structuredClone(f.default));
  return c as ExperimentConfig;
}

/** A config saved before some field existed (in the browser's storage), with that field
 * at its default, which is what such a config trained with; the rest unchanged. */
export function withNewFields(c: ExperimentConfig): ExperimentConfig {
  const out = structuredClone(c);
  for (const f of FIELDS) {
    const parent = getPath(out, f.path.slice(0, -1));
    if (f.default !== undefined && parent.found && !getPath(out, f.path).found) writePath(out, f.path, structuredClone(f.default));
  }
  return out;
}

const defaultOf = (key: string) => fieldByKey(key).default;

/** A section's starting point when its kind switches: the defaults' own section if the
 * kind is the default's, else the bare kind. Links compare against the same base, so a
 * round trip is exact. */
function optimizerBase(kind: OptimizerKind): OptimizerConfig {
  const d = defaultExperiment().optimizer;
  if (kind === d.kind) return d;
  return SGD_KINDS.includes(kind)
    ? { kind, lr: d.lr, momentum: defaultOf('mom') as number, weightDecay: defaultOf('wd') as number }
    : { kind, lr: d.lr };
}

function scheduleBase(kind: LrSchedule['kind']): LrSchedule {
  const d = defaultExperiment().schedule;
  if (kind === d.kind) return d;
  return kind === 'step'
    ? { kind, milestones: [], gamma: 0.1 }
    : kind === 'cosine'
      ? { kind, totalSteps: defaultOf('total') as number }
      : { kind };
}
