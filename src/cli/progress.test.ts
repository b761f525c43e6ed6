import { describe, expect, it } from 'vitest';
import { formatDuration, renderBar } from './progress';

describe('progress bar', () => {
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('00:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });
  it('renders fraction, counts and ETA', () => {
    const s = renderBar({ step: 5, total: 10, etaSeconds: 65, stepsPerSecond: 2, note: 'loss 1.2' }, 10);
    expect(s).toBe('[#####-----]  50% 5/10 steps, 2.00 steps/s, ETA 01:05  loss 1.2');
  });
});
