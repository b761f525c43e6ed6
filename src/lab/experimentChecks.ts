// Whether an experiment can run: every field checked against its type and range in the
// field table (no range is written here), then the checks that span fields (optimizer
// family, schedule vs warmup, the spectrum's end stage, repeated runs). Not the lenient
// reading of links and files, which clamps with warnings (urlSchema.ts).

import { validateOptimizerConfig, RESNET_PRESETS, blockOf, type BlockType, validateLrSchedule } from '../nn';
import { EXPERIMENT_VERSION, READABLE_VERSIONS, type ExperimentConfig, type ModelChoice } from './experimentConfig';
import { FIELDS, fieldApplies, getPath, type ExperimentField } from './experimentFields';
import { describeShape, shown } from './urlValues';

export function blocksOf(model: ModelChoice): number[] {
  return model.preset === 'custom' ? model.blocksPerStage : [...RESNET_PRESETS[model.preset].blocksPerStage];
}

export function blockTypeOf(model: ModelChoice): BlockType {
  return model.preset === 'custom' ? model.block : blockOf(RESNET_PRESETS[model.preset]);
}

/** The problem with one field's value, or undefined when it is exactly a value the table accepts. */
function fieldProblem(f: ExperimentField, c: ExperimentConfig): string | undefined {
  const got = getPath(c, f.path);
  const what = `${f.label} (${f.path.join('.')})`;
  if (!got.found || got.value === undefined)
    return f.type.shape.optional ? undefined : `${what} is missing: give ${describeShape(f.type.shape)}`;
  const r = f.type.accept(got.value);
  // A value the lenient reader would change (clamp, round, re-case) is not one it accepts as is.
  if ('value' in r && !r.note && f.type.equal(r.value, got.value)) return undefined;
  if (f.type.shape.kind === 'text')
    return `${what}: ${'reason' in r ? r.reason : (r.note ?? `write it as ${shown(f.type.format(r.value))}`)}`;
  return `${what} must be ${describeShape(f.type.shape)}, got ${shown(got.value)}`;
}

/** Every problem, one readable sentence each; empty when the experiment can run. */
export function validateExperiment(c: ExperimentConfig): string[] {
  if (typeof c !== 'object' || c === null) return ['the experiment is not a record of settings'];
  const e: string[] = [];
  if (!READABLE_VERSIONS.includes(c.version))
    e.push(`experiment version ${shown(c.version)} is not supported (this lab reads version ${EXPERIMENT_VERSION})`);
  for (const f of FIELDS) {
    if (!fieldApplies(f, c)) continue;
    const p = fieldProblem(f, c);
    if (p) e.push(p);
  }
  if (e.length) return e;
  e.push(...validateOptimizerConfig(c.optimizer));
  e.push(...validateLrSchedule(c.optimizer.lr, c.schedule, c.warmupSteps));
  // Every run's network must have the stage the spectrum ends at.
  const stages = Math.min(...c.schemes.map((r) => (r.model?.blocksPerStage ?? blocksOf(c.model)).length));
  const to = c.diagnostics.toStage;
  if (to > stages) e.push(`the spectrum's end stage must be 0 (last block) to ${stages}, got ${to}`);
  return e;
}

export function assertValidExperiment(c: ExperimentConfig): void {
  const e = validateExperiment(c);
  if (e.length) throw new Error(`invalid experiment:\n- ${e.join('\n- ')}`);
}
