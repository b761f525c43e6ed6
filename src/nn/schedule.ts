// Learning-rate schedules as pure functions of the 1-based step: constant, step decay,
// cosine, each optionally behind a linear warmup. The engine takes the rate per step,
// so this is all the scheduling there is. Not the optimizer settings (optimizerConfig.ts).

export type LrSchedule =
  | { kind: 'constant' }
  /** lr * gamma^k after k milestones: steps 1..m run undecayed, decay applies from m + 1
   * (PyTorch's MultiStepLR stepped once per iteration). */
  | { kind: 'step'; milestones: number[]; gamma: number }
  /** Half a cosine from lr on the first step after warmup down to minLr (default 0) on
   * step totalSteps, which counts the warmup too; minLr after that. */
  | { kind: 'cosine'; totalSteps: number; minLr?: number };

export const LR_SCHEDULE_KINDS = ['constant', 'step', 'cosine'] as const;

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Every problem with the combination, one readable sentence each; empty when valid.
 * Defensive about types because schedules also arrive from URLs and saved files. */
export function validateLrSchedule(baseLr: number, schedule: LrSchedule, warmupSteps: number): string[] {
  const errors: string[] = [];
  if (!(isFiniteNum(baseLr) && baseLr > 0)) errors.push(`the base learning rate must be a positive finite number, got ${String(baseLr)}`);
  if (!isNonNegInt(warmupSteps)) errors.push(`warmupSteps must be a non-negative integer (0 for no warmup), got ${String(warmupSteps)}`);
  const s = schedule as { kind?: unknown } | null | undefined;
  switch (s?.kind) {
    case 'constant':
      break;
    case 'step': {
      const { milestones, gamma } = schedule as { milestones: unknown; gamma: unknown };
      if (!Array.isArray(milestones)) {
        errors.push('step schedule: milestones must be an array of step numbers, e.g. [3000, 6000]');
      } else {
        milestones.forEach((m: unknown, i) => {
          if (!isPosInt(m)) errors.push(`step schedule: milestones[${i}] must be a positive integer step, got ${String(m)}`);
          else if (i > 0 && isPosInt(milestones[i - 1]) && m <= milestones[i - 1]) {
            errors.push(`step schedule: milestones must increase, but milestones[${i}] = ${m} follows ${String(milestones[i - 1])}`);
          }
        });
      }
      if (!(isFiniteNum(gamma) && gamma > 0))
        errors.push(`step schedule: gamma must be a positive finite factor (0.1 divides lr by 10), got ${String(gamma)}`);
      break;
    }
    case 'cosine': {
      const { totalSteps, minLr } = schedule as { totalSteps: unknown; minLr?: unknown };
      if (!isPosInt(totalSteps)) errors.push(`cosine schedule: totalSteps must be a positive integer, got ${String(totalSteps)}`);
      else if (isNonNegInt(warmupSteps) && totalSteps <= warmupSteps) {
        errors.push(`cosine schedule: totalSteps (${totalSteps}) must exceed warmupSteps (${warmupSteps}), or nothing is left to decay`);
      }
      if (minLr !== undefined && !(isFiniteNum(minLr) && minLr >= 0 && (!isFiniteNum(baseLr) || minLr <= baseLr))) {
        errors.push(`cosine schedule: minLr must be a number from 0 to the base learning rate ${String(baseLr)}, got ${String(minLr)}`);
      }
      break;
    }
    default:
      errors.push(`unknown learning-rate schedule kind ${String(s?.kind)}; use one of ${LR_SCHEDULE_KINDS.join(', ')}`);
  }
  return errors;
}

function assertValidLrSchedule(baseLr: number, schedule: LrSchedule, warmupSteps: number): void {
  const errors = validateLrSchedule(baseLr, schedule, warmupSteps);
  if (errors.length) throw new Error(`invalid learning-rate schedule:\n- ${errors.join('\n- ')}`);
}

/** Validates once and returns step -> learning rate, for a training loop's hot path. */
export function makeLrFunction(baseLr: number, schedule: LrSchedule, warmupSteps: number): (step: number) => number {
  assertValidLrSchedule(baseLr, schedule, warmupSteps);
  return (step) => {
    if (!isPosInt(step)) throw new Error(`learning-rate step must be a positive integer (steps count from 1), got ${String(step)}`);
    // Ramp from lr / warmupSteps on step 1 to lr on step warmupSteps, never from 0:
    // a zero-rate first step would waste a step and skew Adam's bias correction.
    const warm = step <= warmupSteps ? step / warmupSteps : 1;
    return warm * decayed(baseLr, schedule, warmupSteps, step);
  };
}

/** The learning rate of 1-based `step`. Validates on every call; use makeLrFunction in loops. */
export function lrAt(baseLr: number, schedule: LrSchedule, warmupSteps: number, step: number): number {
  return makeLrFunction(baseLr, schedule, warmupSteps)(step);
}

function decayed(baseLr: number, schedule: LrSchedule, warmupSteps: number, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step': {
      let lr = baseLr;
      for (const m of schedule.milestones) if (step > m) lr *= schedule.gamma;
      return lr;
    }
    case 'cosine': {
      const minLr = schedule.minLr ?? 0;
      const { totalSteps } = schedule;
      // Progress 0 on the first step after warmup, 1 on the last step.
      const span = totalSteps - warmupSteps - 1;
      const t = step >= totalSteps ? 1 : span > 0 ? Math.max(0, (step - warmupSteps - 1) / span) : 0;
      return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * t))) / 2;
    }
  }
}
