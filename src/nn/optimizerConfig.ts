// The optimizer as a user picks it (kind, lr, optional hyperparameters), its defaults,
// validation with readable messages, and the translation to the engine's OptimizerSpec.
// Not the update itself (engine) and not the learning-rate schedule (schedule.ts).

import type { OptimizerSpec, ScalarGroup } from '../engine';

export type OptimizerKind = 'sgd' | 'sgd-nesterov' | 'adamw' | 'adam';

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'sgd-nesterov', 'adamw', 'adam'];

export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Base learning rate; the schedule scales it per step. */
  lr: number;
  /** SGD kinds only. */
  momentum?: number;
  weightDecay?: number;
  /** Clip the global gradient L2 norm to this before each update (off when absent). */
  clipNorm?: number;
  /** The scalar parameters (learned a_res / a_skip, Fixup's biases) train at this
   * fraction of the learning rate; absent: the scheme's default (0.1 for Fixup, as its
   * authors train it; 1 for the others). */
  scalarLr?: number;
  /** false: no weight decay on the scalar parameters (default true: the same decay). */
  scalarWeightDecay?: boolean;
  /** Adam kinds only. */
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Every field filled in. */
export type ResolvedOptimizerConfig =
  | { kind: 'sgd' | 'sgd-nesterov'; lr: number; momentum: number; weightDecay: number }
  | { kind: 'adam' | 'adamw'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

export type OptimizerDefaults =
  { momentum: number; weightDecay: number } | { beta1: number; beta2: number; eps: number; weightDecay: number };

// SGD: the usual CIFAR ResNet recipe. Adam(W): PyTorch's defaults, whose Adam has no
// weight decay while AdamW decays by 0.01.
const SGD_DEFAULTS = { momentum: 0.9, weightDecay: 5e-4 };
const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const WEIGHT_DECAY_DEFAULT: Record<OptimizerKind, number> = { sgd: 5e-4, 'sgd-nesterov': 5e-4, adamw: 0.01, adam: 0 };

const SGD_FIELDS = ['momentum'] as const;
const ADAM_FIELDS = ['beta1', 'beta2', 'eps'] as const;

const isSgd = (kind: OptimizerKind): kind is 'sgd' | 'sgd-nesterov' => kind === 'sgd' || kind === 'sgd-nesterov';
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The defaults of `kind`, everything but lr. */
export function optimizerDefaults(kind: OptimizerKind): OptimizerDefaults {
  if (!OPTIMIZER_KINDS.includes(kind)) throw new Error(`unknown optimizer kind ${String(kind)}; use one of ${OPTIMIZER_KINDS.join(', ')}`);
  return isSgd(kind) ? { ...SGD_DEFAULTS } : { ...ADAM_DEFAULTS, weightDecay: WEIGHT_DECAY_DEFAULT[kind] };
}

/** Every problem with `c`, one readable sentence each; empty when valid. Defensive about
 * types because configs also arrive from URLs and saved files. */
export function validateOptimizerConfig(c: OptimizerConfig): string[] {
  if (!OPTIMIZER_KINDS.includes(c?.kind)) return [`optimizer kind must be one of ${OPTIMIZER_KINDS.join(', ')}, got ${String(c?.kind)}`];
  const errors: string[] = [];
  const range = (key: keyof OptimizerConfig, ok: (v: number) => boolean, what: string) => {
    const v: unknown = c[key];
    if (v !== undefined && !(isFiniteNum(v) && ok(v))) errors.push(`${key} must be ${what}, got ${String(v)}`);
  };
  if (c.lr === undefined) errors.push('lr is required: set the base learning rate, e.g. 0.1 for SGD or 1e-3 for Adam');
  range('lr', (v) => v > 0, 'a positive finite number');
  range('weightDecay', (v) => v >= 0, 'a non-negative finite number');
  range('clipNorm', (v) => v > 0, 'a positive finite number (or absent for no clipping)');
  range('scalarLr', (v) => v > 0 && v <= 100, 'a fraction of the learning rate in (0, 100] (or absent for the scheme default)');
  if (c.scalarWeightDecay !== undefined && typeof c.scalarWeightDecay !== 'boolean')
    errors.push(`scalarWeightDecay must be true or false, got ${String(c.scalarWeightDecay)}`);
  // A field of the other family is almost certainly a leftover from switching kinds.
  const foreign = isSgd(c.kind) ? ADAM_FIELDS : SGD_FIELDS;
  for (const key of foreign) {
    if (c[key] !== undefined) errors.push(`${key} does not apply to ${c.kind}; remove it or pick an optimizer that uses it`);
  }
  if (isSgd(c.kind)) {
    range('momentum', (v) => v >= 0 && v < 1, 'in [0, 1)');
    // PyTorch refuses Nesterov without momentum: it would silently be plain SGD.
    if (c.kind === 'sgd-nesterov' && c.momentum === 0) errors.push('sgd-nesterov needs momentum > 0; use kind sgd for plain SGD');
  } else {
    range('beta1', (v) => v >= 0 && v < 1, 'in [0, 1)');
    range('beta2', (v) => v >= 0 && v < 1, 'in [0, 1)');
    range('eps', (v) => v > 0, 'a positive finite number');
  }
  return errors;
}

function assertValidOptimizerConfig(c: OptimizerConfig): void {
  const errors = validateOptimizerConfig(c);
  if (errors.length) throw new Error(`invalid optimizer config:\n- ${errors.join('\n- ')}`);
}

/** Validates `c` and fills every missing field with its kind's default. */
export function resolveOptimizerConfig(c: OptimizerConfig): ResolvedOptimizerConfig {
  assertValidOptimizerConfig(c);
  const wd = c.weightDecay ?? WEIGHT_DECAY_DEFAULT[c.kind];
  if (isSgd(c.kind)) return { kind: c.kind, lr: c.lr, momentum: c.momentum ?? SGD_DEFAULTS.momentum, weightDecay: wd };
  return {
    kind: c.kind,
    lr: c.lr,
    beta1: c.beta1 ?? ADAM_DEFAULTS.beta1,
    beta2: c.beta2 ?? ADAM_DEFAULTS.beta2,
    eps: c.eps ?? ADAM_DEFAULTS.eps,
    weightDecay: wd,
  };
}

/** The scalar parameters' group, or undefined when they train like the rest:
 * `schemeScalarLr` is the scheme's default fraction when the config gives none. */
export function scalarGroupOf(c: OptimizerConfig, schemeScalarLr = 1): ScalarGroup | undefined {
  const lrScale = c.scalarLr ?? schemeScalarLr;
  const weightDecay = c.scalarWeightDecay === false ? 0 : resolveOptimizerConfig(c).weightDecay;
  return lrScale === 1 && c.scalarWeightDecay !== false ? undefined : { lrScale, weightDecay };
}

/** The engine's view: everything but the learning rate, which goes in per step. */
export function toOptimizerSpec(c: OptimizerConfig, schemeScalarLr = 1): OptimizerSpec {
  const r = resolveOptimizerConfig(c);
  const group = scalarGroupOf(c, schemeScalarLr);
  const clip = { ...(c.clipNorm !== undefined && { clipNorm: c.clipNorm }), ...(group && { scalarGroup: group }) };
  if ('momentum' in r) {
    return { kind: 'sgd', momentum: r.momentum, nesterov: r.kind === 'sgd-nesterov', weightDecay: r.weightDecay, dampening: 0, ...clip };
  }
  return { kind: 'adam', beta1: r.beta1, beta2: r.beta2, eps: r.eps, weightDecay: r.weightDecay, decoupled: r.kind === 'adamw', ...clip };
}
