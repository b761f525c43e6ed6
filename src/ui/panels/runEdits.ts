// Pure edits of the run list: the same run again with BatchNorm switched (one click for
// "He and He + BN"), a run's own model setting set or cleared, a run removed. No React.
import type { ExperimentConfig, RunChoice, RunModel } from '../../lab';
import { runKey } from '../../lab';

/** Whether the run trains with BatchNorm (its own setting, else the experiment's). */
export const runHasBn = (e: ExperimentConfig, run: RunChoice): boolean => run.model?.batchNorm ?? e.model.batchNorm;

/** `run` with `name` set (undefined: follow the experiment's model). */
function withSetting<K extends keyof RunModel>(run: RunChoice, name: K, value: RunModel[K] | undefined): RunChoice {
  const model: RunModel = { ...(run.model ?? {}) };
  if (value === undefined) delete model[name];
  else model[name] = value;
  const { model: _old, ...rest } = run;
  return Object.keys(model).length ? { ...rest, model } : rest;
}

/** The run at `index` again right after it, with BatchNorm the other way; the existing
 * twin is kept instead when there is one. */
export function withBnTwin(e: ExperimentConfig, index: number): ExperimentConfig {
  const run = e.schemes[index];
  if (!run) return e;
  const twin = withSetting(run, 'batchNorm', !runHasBn(e, run));
  if (e.schemes.some((r) => runKey(r) === runKey(twin))) return e;
  return { ...e, schemes: [...e.schemes.slice(0, index + 1), twin, ...e.schemes.slice(index + 1)] };
}

/** One run's setting changed; a change that would repeat another run is not made. */
export function withRunSetting<K extends keyof RunModel>(
  e: ExperimentConfig,
  index: number,
  name: K,
  value: RunModel[K] | undefined,
): ExperimentConfig {
  const run = e.schemes[index];
  if (!run) return e;
  const next = withSetting(run, name, value);
  if (e.schemes.some((r, i) => i !== index && runKey(r) === runKey(next))) return e;
  return { ...e, schemes: e.schemes.map((r, i) => (i === index ? next : r)) };
}

/** Without the run at `index`; the last run stays (a comparison needs one). */
export function withoutRun(e: ExperimentConfig, index: number): ExperimentConfig {
  if (e.schemes.length <= 1) return e;
  return { ...e, schemes: e.schemes.filter((_, i) => i !== index) };
}
