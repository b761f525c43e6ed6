// Learning-rate schedules: endpoints, milestones, warmup ramp, their combination, and
// validation messages. Values are checked against formulas written out independently.

import { describe, expect, it } from 'vitest';
import { lrAt, makeLrFunction, validateLrSchedule, type LrSchedule } from './schedule';

describe('constant', () => {
  it('returns the base rate on every step', () => {
    for (const step of [1, 2, 100, 1e6]) expect(lrAt(0.1, { kind: 'constant' }, 0, step)).toBe(0.1);
  });
});

describe('warmup', () => {
  it('ramps linearly from lr / warmup on step 1 to lr on step warmup, then holds', () => {
    const lr = makeLrFunction(0.4, { kind: 'constant' }, 4);
    const want = [0.1, 0.2, 0.3, 0.4, 0.4, 0.4];
    [1, 2, 3, 4, 5, 50].forEach((step, i) => expect(lr(step)).toBeCloseTo(want[i], 15));
    expect(lr(4)).toBe(0.4);
  });

  it('scales the decayed rate when a milestone falls inside the warmup', () => {
    const s: LrSchedule = { kind: 'step', milestones: [2], gamma: 0.5 };
    expect(lrAt(1, s, 4, 2)).toBeCloseTo(0.5, 15);
    expect(lrAt(1, s, 4, 3)).toBeCloseTo(0.75 * 0.5, 15);
  });
});

describe('step', () => {
  const s: LrSchedule = { kind: 'step', milestones: [10, 20], gamma: 0.1 };

  it('runs steps 1..m undecayed and multiplies by gamma from step m + 1', () => {
    expect(lrAt(1, s, 0, 1)).toBe(1);
    expect(lrAt(1, s, 0, 10)).toBe(1);
    expect(lrAt(1, s, 0, 11)).toBeCloseTo(0.1, 15);
    expect(lrAt(1, s, 0, 20)).toBeCloseTo(0.1, 15);
    expect(lrAt(1, s, 0, 21)).toBeCloseTo(0.01, 15);
    expect(lrAt(1, s, 0, 1000)).toBeCloseTo(0.01, 15);
  });

  it('is the base rate with no milestones', () => {
    expect(lrAt(0.3, { kind: 'step', milestones: [], gamma: 0.1 }, 0, 500)).toBe(0.3);
  });
});

describe('cosine', () => {
  it('starts at lr, ends at minLr on totalSteps, and stays there', () => {
    const lr = makeLrFunction(0.2, { kind: 'cosine', totalSteps: 101, minLr: 0.02 }, 0);
    expect(lr(1)).toBe(0.2);
    expect(lr(101)).toBe(0.02);
    expect(lr(5000)).toBe(0.02);
    // Halfway through the 100 decay intervals the rate is the midpoint.
    expect(lr(51)).toBeCloseTo(0.11, 14);
    expect(lr(26)).toBeCloseTo(0.02 + (0.18 * (1 + Math.cos(Math.PI / 4))) / 2, 14);
  });

  it('decreases monotonically and defaults minLr to 0', () => {
    const lr = makeLrFunction(1, { kind: 'cosine', totalSteps: 50 }, 0);
    for (let step = 2; step <= 50; step++) expect(lr(step)).toBeLessThan(lr(step - 1));
    expect(lr(50)).toBe(0);
  });

  it('starts its decay after the warmup, from the warmup peak', () => {
    const lr = makeLrFunction(1, { kind: 'cosine', totalSteps: 25, minLr: 0 }, 5);
    expect(lr(1)).toBeCloseTo(0.2, 15);
    expect(lr(5)).toBe(1);
    expect(lr(6)).toBe(1);
    expect(lr(7)).toBeLessThan(1);
    expect(lr(16)).toBeCloseTo((1 + Math.cos((Math.PI * 10) / 19)) / 2, 14);
    expect(lr(25)).toBe(0);
  });

  it('gives the one step after warmup minLr when only one is left', () => {
    const lr = makeLrFunction(1, { kind: 'cosine', totalSteps: 3, minLr: 0.1 }, 2);
    expect([1, 2, 3].map(lr)).toEqual([0.5, 1, 0.1]);
  });
});

describe('validation', () => {
  const bad: [string, number, unknown, number, RegExp][] = [
    ['zero base rate', 0, { kind: 'constant' }, 0, /base learning rate must be a positive/],
    ['negative warmup', 0.1, { kind: 'constant' }, -1, /warmupSteps must be a non-negative integer/],
    ['unknown kind', 0.1, { kind: 'linear' }, 0, /unknown learning-rate schedule kind linear; use one of constant, step, cosine/],
    ['missing schedule', 0.1, undefined, 0, /unknown learning-rate schedule kind/],
    ['unsorted milestones', 0.1, { kind: 'step', milestones: [20, 10], gamma: 0.1 }, 0, /milestones must increase/],
    ['fractional milestone', 0.1, { kind: 'step', milestones: [1.5], gamma: 0.1 }, 0, /milestones\[0\] must be a positive integer/],
    ['milestones not an array', 0.1, { kind: 'step', milestones: 10, gamma: 0.1 }, 0, /milestones must be an array/],
    ['zero gamma', 0.1, { kind: 'step', milestones: [], gamma: 0 }, 0, /gamma must be a positive/],
    ['cosine total too short', 0.1, { kind: 'cosine', totalSteps: 10 }, 10, /totalSteps \(10\) must exceed warmupSteps \(10\)/],
    ['cosine total missing', 0.1, { kind: 'cosine' }, 0, /totalSteps must be a positive integer/],
    ['minLr above lr', 0.1, { kind: 'cosine', totalSteps: 10, minLr: 0.2 }, 0, /minLr must be a number from 0 to/],
  ];
  for (const [name, base, schedule, warmup, msg] of bad) {
    it(`rejects ${name}`, () => {
      expect(validateLrSchedule(base, schedule as LrSchedule, warmup).join('\n')).toMatch(msg);
      expect(() => lrAt(base, schedule as LrSchedule, warmup, 1)).toThrow(msg);
    });
  }

  it('accepts good schedules', () => {
    expect(validateLrSchedule(0.1, { kind: 'step', milestones: [5, 9], gamma: 0.2 }, 3)).toEqual([]);
    expect(validateLrSchedule(0.1, { kind: 'cosine', totalSteps: 4, minLr: 0.1 }, 3)).toEqual([]);
  });

  it('rejects steps that are not 1-based integers', () => {
    const lr = makeLrFunction(0.1, { kind: 'constant' }, 0);
    expect(() => lr(0)).toThrow(/steps count from 1/);
    expect(() => lr(2.5)).toThrow(/positive integer/);
  });
});
