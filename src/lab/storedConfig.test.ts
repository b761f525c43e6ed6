// A config saved in the browser before the seeds fields existed reads back with their
// defaults (what it trained with), and validates.
import { describe, expect, it } from 'vitest';
import { defaultExperiment, withNewFields } from './experimentFields';
import { validateExperiment } from './experimentChecks';
import { type ExperimentConfig } from './experimentConfig';

describe('configs saved by an older lab', () => {
  it('get the fields added since at their defaults, the rest unchanged', () => {
    const { seeds: _, lossTarget: __, ...old } = { ...defaultExperiment(), seed: 9, steps: 40 };
    expect(validateExperiment(old as ExperimentConfig).join()).toContain('Seeds (seeds) is missing');
    const read = withNewFields(old as ExperimentConfig);
    expect(read).toEqual({ ...defaultExperiment(), seed: 9, steps: 40 });
    expect(validateExperiment(read)).toEqual([]);
    expect(withNewFields({ ...read, seeds: 3 }).seeds).toBe(3);
  });
});
