import { describe, expect, it } from 'vitest';
import { storedTuning, storeTuning, tuningFor, tuningNote } from './tuningSetting';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('the Tune kernels setting', () => {
  it('without a stored choice: on for a hardware GPU, off for a software renderer, saying why', () => {
    expect(tuningFor({ isSoftware: false }, undefined)).toBe(true);
    expect(tuningFor({ isSoftware: true }, undefined)).toBe(false);
    expect(tuningNote({ isSoftware: true }, false, undefined)).toMatch(/off by default on a software renderer.*barrier-free kernels/);
    expect(tuningNote({ isSoftware: false }, true, undefined)).toMatch(/timed per kernel variant/);
  });

  it("the user's choice is kept and wins over the adapter's default", () => {
    const s = memoryStorage();
    expect(storedTuning(s)).toBeUndefined();
    storeTuning(true, s);
    expect(storedTuning(s)).toBe(true);
    expect(tuningFor({ isSoftware: true }, storedTuning(s))).toBe(true);
    storeTuning(false, s);
    expect(tuningFor({ isSoftware: false }, storedTuning(s))).toBe(false);
    expect(tuningNote({ isSoftware: false }, false, false)).toBe('fixed kernels: reproducible timings');
    expect(tuningNote({ isSoftware: true }, false, false)).toMatch(/barrier-free ones, fastest on a software renderer/);
    s.setItem('risotto-lab.tuneKernels', 'yes'); // not ours: no choice
    expect(storedTuning(s)).toBeUndefined();
  });

  it('a storage that refuses writes or is missing leaves the default', () => {
    expect(() =>
      storeTuning(true, {
        getItem: () => null,
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
      }),
    ).not.toThrow();
    expect(storedTuning(undefined)).toBeUndefined();
  });
});
