import { describe, expect, it } from 'vitest';
import { defaultExperiment } from './experimentFields';
import { validateExperiment } from './experimentChecks';
import { trainingFlops } from './linkCost';
import { describeLighterVariant, lighterVariant, SOFTWARE_BUDGET_FLOPS, softwareDuration } from './lighterVariant';

describe('lighterVariant: the same comparison at a size a software adapter finishes', () => {
  it('shrinks the default experiment to the budget, says what changed, and stays valid', () => {
    const exp = defaultExperiment();
    const v = lighterVariant(exp)!;
    expect(v).toBeDefined();
    expect(validateExperiment(v.experiment)).toEqual([]);
    expect(v.flopsBefore).toBe(trainingFlops(exp));
    expect(v.flopsAfter).toBe(trainingFlops(v.experiment));
    expect(v.flopsAfter).toBeLessThanOrEqual(SOFTWARE_BUDGET_FLOPS);
    // Only size changes: the comparison itself is the same.
    expect(v.experiment.schemes).toEqual(exp.schemes);
    expect(v.experiment.dataset).toBe(exp.dataset);
    expect(v.experiment.optimizer).toEqual(exp.optimizer);
    expect(v.experiment.diagnostics).toEqual(exp.diagnostics);
    for (const c of v.changes) expect(c).toMatch(/^(width|batch|seeds|steps) \d+ → \d+$|^diagnostics only at/);
    expect(v.changes.find((c) => c.startsWith('steps'))).toBe(`steps ${exp.steps} → ${v.experiment.steps}`);
    expect(describeLighterVariant(v)).toMatch(
      /^This experiment is \d\.\de\d+ FLOPs, about \d+ (h|min) on a software renderer\. A lighter variant \(.+\) is \d\.\de\d+ FLOPs, about \d+ (min|s); same schemes, data and optimizer\.$/,
    );
  });

  it('keeps step-schedule milestones at their place in the run, and drops diagnostics past the end', () => {
    const exp = {
      ...defaultExperiment(),
      steps: 100000,
      schedule: { kind: 'step' as const, milestones: [50000, 75000], gamma: 0.1 },
      spectrumAt: [0, 99000],
    };
    const v = lighterVariant(exp)!;
    const s = v.experiment.steps;
    expect(v.experiment.schedule).toEqual({ kind: 'step', milestones: [Math.round(s / 2), Math.round((3 * s) / 4)], gamma: 0.1 });
    expect(v.experiment.spectrumAt).toEqual([0]);
    expect(v.changes).toContain('diagnostics only at step 0');
    expect(validateExperiment(v.experiment)).toEqual([]);
  });

  it('proposes nothing for an experiment that already fits', () => {
    const small = { ...defaultExperiment(), steps: 20, batchSize: 8, model: { ...defaultExperiment().model, width: 4 } };
    expect(trainingFlops(small)).toBeLessThan(SOFTWARE_BUDGET_FLOPS);
    expect(lighterVariant(small)).toBeUndefined();
  });

  it('words durations in s, min and h', () => {
    expect(softwareDuration(1.5e10)).toBe('about 30 s');
    expect(softwareDuration(6e11)).toBe('about 20 min');
    expect(softwareDuration(1e14)).toBe('about 56 h');
  });

  it('trains one seed of each run before it shortens them, and says so', () => {
    const exp = { ...defaultExperiment(), seeds: 3 };
    const v = lighterVariant(exp)!;
    expect(v.changes).toContain('seeds 3 → 1');
    expect(v.experiment.seeds).toBe(1);
    expect(v.experiment.steps).toBe(lighterVariant(defaultExperiment())!.experiment.steps);
    expect(v.flopsAfter).toBeLessThanOrEqual(SOFTWARE_BUDGET_FLOPS);
    expect(validateExperiment(v.experiment)).toEqual([]);
    // Seeds that fit the budget stay.
    const small = { ...defaultExperiment(), seeds: 2, steps: 20, batchSize: 8, model: { ...defaultExperiment().model, width: 4 } };
    expect(lighterVariant(small)).toBeUndefined();
  });

  it('costs every run once per seed', () => {
    const exp = defaultExperiment();
    expect(trainingFlops({ ...exp, seeds: 3 })).toBe(3 * trainingFlops(exp));
  });
});
