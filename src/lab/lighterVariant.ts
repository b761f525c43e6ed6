// On a software adapter (a CPU rasteriser standing in for a GPU) the lab's experiments
// take hours; this proposes the same comparison at a size that finishes in minutes, and
// says exactly what it changes (width, batch, seeds, steps). The schemes, data, optimizer
// and diagnostics stay.

import type { ExperimentConfig } from './experimentConfig';
import { describeFlops, shapeOfDataset, trainingFlops } from './linkCost';
import type { DatasetShape } from './modelFactory';

/** Training FLOP/s a software adapter reaches on 2 to 4 CPU cores (bench/RESULTS.md: the
 * ResNet-20 step at batch 16 runs at 0.6 to 0.95 GFLOP/s on SwiftShader with 2 shared
 * cores, in Node and in Chromium, since the barrier-free kernels became the software
 * default; lower here to leave room for evaluation, diagnostics and slower machines). */
const SOFTWARE_FLOPS_PER_SECOND = 5e8;
/** A lighter variant aims at about this many training FLOPs (~20 min at the rate above). */
export const SOFTWARE_BUDGET_FLOPS = 6e11;
const MAX_WIDTH = 8;
const MAX_BATCH = 32;
const MIN_STEPS = 20;

export interface LighterVariant {
  experiment: ExperimentConfig;
  /** "width 16 → 8" etc., in the order applied. */
  changes: string[];
  flopsBefore: number;
  flopsAfter: number;
}

/** "about 55 h" at the software rate. */
export function softwareDuration(flops: number): string {
  const s = flops / SOFTWARE_FLOPS_PER_SECOND;
  if (!Number.isFinite(s)) return 'an unknown time';
  if (s < 90) return `about ${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `about ${Math.round(s / 60)} min`;
  return `about ${Math.round(s / 3600)} h`;
}

/** The lighter variant of `exp`, or undefined when it already fits the budget. */
export function lighterVariant(exp: ExperimentConfig, shape: DatasetShape = shapeOfDataset(exp.dataset)): LighterVariant | undefined {
  const flopsBefore = trainingFlops(exp, shape);
  if (!Number.isFinite(flopsBefore) || flopsBefore <= SOFTWARE_BUDGET_FLOPS) return undefined;
  const c = structuredClone(exp);
  const changes: string[] = [];
  if (c.model.width > MAX_WIDTH) {
    changes.push(`width ${c.model.width} → ${MAX_WIDTH}`);
    c.model.width = MAX_WIDTH;
  }
  if (c.batchSize > MAX_BATCH) {
    changes.push(`batch ${c.batchSize} → ${MAX_BATCH}`);
    c.batchSize = MAX_BATCH;
  }
  // Several seeds multiply the cost: one seed of each run comes before shortening them all.
  if (c.seeds > 1 && trainingFlops(c, shape) > SOFTWARE_BUDGET_FLOPS) {
    changes.push(`seeds ${c.seeds} → 1`);
    c.seeds = 1;
  }
  const perStep = trainingFlops({ ...c, steps: 1 }, shape);
  const steps = Math.min(c.steps, Math.max(MIN_STEPS, Math.floor(SOFTWARE_BUDGET_FLOPS / perStep)));
  if (steps < c.steps) {
    changes.push(`steps ${c.steps} → ${steps}`);
    c.steps = steps;
    c.evalEvery = Math.min(c.evalEvery, steps);
    c.warmupSteps = Math.min(c.warmupSteps, Math.floor(steps / 2));
    const kept = c.spectrumAt.filter((s) => s <= steps);
    if (kept.length < c.spectrumAt.length)
      changes.push(`diagnostics only at step${kept.length === 1 ? '' : 's'} ${kept.join(', ') || '(none)'}`);
    c.spectrumAt = kept;
    if (c.schedule.kind === 'cosine') c.schedule = { ...c.schedule, totalSteps: Math.min(c.schedule.totalSteps, steps) };
    // Milestones keep their place in the run (a decay at 50% stays at 50%).
    if (c.schedule.kind === 'step')
      c.schedule = {
        ...c.schedule,
        milestones: [...new Set(c.schedule.milestones.map((m) => Math.max(1, Math.round((m * steps) / exp.steps))))],
      };
  }
  if (changes.length === 0) return undefined;
  return { experiment: c, changes, flopsBefore, flopsAfter: trainingFlops(c, shape) };
}

/** One line for the notice: what the experiment costs here and what the variant changes. */
export function describeLighterVariant(v: LighterVariant): string {
  return (
    `This experiment is ${describeFlops(v.flopsBefore)}, ${softwareDuration(v.flopsBefore)} on a software renderer. ` +
    `A lighter variant (${v.changes.join(', ')}) is ${describeFlops(v.flopsAfter)}, ${softwareDuration(v.flopsAfter)}; same schemes, data and optimizer.`
  );
}
