// Pure edits of an ExperimentConfig that touch more than one field (switching optimizer
// or schedule kinds, steps that drag the cosine length along, scheme toggles and options),
// plus the sentences explaining how a scheme adapts the model. No React.
import {
  INIT_SCHEME_IDS,
  optimizerDefaults,
  type InitOptionSpec,
  type InitSchemeId,
  type LrSchedule,
  type OptimizerKind,
  type ResNetConfig,
} from '../../lab';
import type { ExperimentConfig, ModelChoice } from '../../lab';

type Kind = LrSchedule['kind'];

/** New step count; a cosine schedule that ended with the run keeps ending with it (an
 * edited cosine length, one that differs from the steps, is left alone). */
export function withSteps(e: ExperimentConfig, steps: number): ExperimentConfig {
  const s = e.schedule;
  const schedule = s.kind === 'cosine' && s.totalSteps === e.steps ? { ...s, totalSteps: steps } : s;
  return { ...e, steps, schedule };
}

/** Same family keeps its hyperparameters; a switch between SGD and Adam takes the new
 * kind's defaults, since a leftover momentum would make the config invalid. */
export function withOptimizerKind(e: ExperimentConfig, kind: OptimizerKind): ExperimentConfig {
  const sgd = (k: OptimizerKind) => k === 'sgd' || k === 'sgd-nesterov';
  const o = e.optimizer;
  if (sgd(o.kind) === sgd(kind)) return { ...e, optimizer: { ...o, kind } };
  return { ...e, optimizer: { kind, lr: o.lr, ...optimizerDefaults(kind) } };
}

/** A fresh schedule of `kind` sized to the run: step decay at 50% and 75%. */
export function scheduleOfKind(kind: Kind, steps: number): LrSchedule {
  if (kind === 'constant') return { kind };
  if (kind === 'step') {
    const a = Math.max(1, Math.round(steps * 0.5));
    const b = Math.max(a + 1, Math.round(steps * 0.75));
    return { kind, milestones: [a, b], gamma: 0.1 };
  }
  return { kind, totalSteps: steps };
}

/** Adds or removes a scheme; the list stays in the catalog's order so colours and the
 * "first scheme" the model stats describe do not depend on the click order. */
export function withScheme(e: ExperimentConfig, id: InitSchemeId, on: boolean): ExperimentConfig {
  const has = e.schemes.some((s) => s.id === id);
  if (on === has) return e;
  const schemes = on ? [...e.schemes, { id }] : e.schemes.filter((s) => s.id !== id);
  schemes.sort((a, b) => INIT_SCHEME_IDS.indexOf(a.id) - INIT_SCHEME_IDS.indexOf(b.id));
  return { ...e, schemes };
}

/** Sets one option of a selected scheme. The default (or no value) drops the key, so a
 * run's key and the URL stay short and "risotto" means Risotto as published. */
export function withSchemeOption(
  e: ExperimentConfig,
  id: InitSchemeId,
  spec: InitOptionSpec,
  value: number | string | undefined,
): ExperimentConfig {
  const schemes = e.schemes.map((s) => {
    if (s.id !== id) return s;
    const options: Record<string, number | string> = { ...(s.options ?? {}) };
    if (value === undefined || value === spec.default) delete options[spec.key];
    else options[spec.key] = value;
    const { options: _old, ...rest } = s;
    return Object.keys(options).length ? { ...rest, options } : rest;
  });
  return { ...e, schemes };
}

/** How `config` (after the scheme's configFor) differs from what the user chose, as one
 * sentence ("Fixup trains without BatchNorm and learns ..."), or '' when it does not. */
export function adaptationNote(label: string, model: ModelChoice, config: ResNetConfig): string {
  const parts: string[] = [];
  if (model.batchNorm && !config.batchNorm) parts.push('trains without BatchNorm');
  if (!model.batchNorm && config.batchNorm) parts.push('trains with BatchNorm');
  if (!config.postAddRelu) parts.push('drops the ReLU after each addition');
  if (config.learnRes) parts.push('learns the residual weight a_res');
  if (config.learnSkip) parts.push('learns the skip weight a_skip');
  if (config.fixupBiases) parts.push('adds learned scalar biases');
  if (config.skip !== model.skip) parts.push(`uses Type ${config.skip} skips`);
  if (parts.length === 0) return '';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${label} ${list}.`;
}
