import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatDuration,
  formatElapsedMs,
  formatInput,
  formatIntList,
  formatMegabytes,
  formatPercent,
  formatStepMs,
  parseIntList,
  parseNumberText,
} from './format';

describe('formatCompact', () => {
  it('keeps about four significant digits and uses k/M/G for large values', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(2.302585)).toBe('2.303');
    expect(formatCompact(0.05)).toBe('0.05');
    expect(formatCompact(5000)).toBe('5000');
    expect(formatCompact(12345)).toBe('12.3k');
    expect(formatCompact(272474)).toBe('272k');
    expect(formatCompact(1_234_567)).toBe('1.23M');
    expect(formatCompact(4.1e9)).toBe('4.1G');
    expect(formatCompact(-12345)).toBe('-12.3k');
  });
  it('writes tiny values in exponent form and marks missing or infinite ones', () => {
    expect(formatCompact(0.0005)).toBe('5e-4');
    expect(formatCompact(0.000123)).toBe('1.2e-4');
    expect(formatCompact(undefined)).toBe('–');
    expect(formatCompact(Number.NaN)).toBe('–');
    expect(formatCompact(Infinity)).toBe('∞');
  });
});

describe('other formats', () => {
  it('percent, duration, megabytes, step time', () => {
    expect(formatPercent(0.8766)).toBe('87.7%');
    expect(formatPercent(undefined)).toBe('–');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(75)).toBe('1m 15s');
    expect(formatDuration(3700)).toBe('1h 1m');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatElapsedMs(849.6)).toBe('850 ms');
    expect(formatElapsedMs(75_000)).toBe('1m 15s');
    expect(formatElapsedMs(-1)).toBe('–');
    expect(formatMegabytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatMegabytes(123.4 * 1024 * 1024)).toBe('123 MB');
    expect(formatStepMs(20)).toBe('50 ms');
    expect(formatStepMs(20, 4)).toBe('12.5 ms');
    expect(formatStepMs(0)).toBe('–');
    expect(formatStepMs(0.4)).toBe('2500 ms');
    expect(formatStepMs(300)).toBe('3.33 ms');
    expect(formatIntList([1, 2, 3])).toBe('1,2,3');
    expect(formatInput(0.1 + 0.2)).toBe('0.3');
    expect(formatInput(5e-4)).toBe('0.0005');
    expect(formatInput(undefined)).toBe('');
  });
});

describe('parseNumberText', () => {
  it('accepts decimals and exponents', () => {
    expect(parseNumberText('0.05')).toEqual({ ok: true, value: 0.05 });
    expect(parseNumberText(' 1e-3 ')).toEqual({ ok: true, value: 0.001 });
    expect(parseNumberText('.5')).toEqual({ ok: true, value: 0.5 });
  });
  it('says why bad text is not a valid value', () => {
    expect(parseNumberText('abc')).toEqual({ ok: false, error: '"abc" is not a number' });
    expect(parseNumberText('0x10').ok).toBe(false);
    expect(parseNumberText('1e999')).toEqual({ ok: false, error: '"1e999" is too large' });
    expect(parseNumberText('')).toEqual({ ok: false, error: 'enter a number' });
    expect(parseNumberText('1.5', { integer: true })).toEqual({ ok: false, error: 'must be a whole number' });
    expect(parseNumberText('1', { min: 2 })).toEqual({ ok: false, error: 'must be at least 2' });
    expect(parseNumberText('9', { max: 8 })).toEqual({ ok: false, error: 'must be at most 8' });
    expect(parseNumberText('0', { nonZero: true })).toEqual({ ok: false, error: 'must not be 0' });
  });
  it('treats empty text as no value only when the field is optional', () => {
    expect(parseNumberText('  ', { optional: true })).toEqual({ ok: true, value: undefined });
  });
});

describe('parseIntList', () => {
  it('reads comma or space separated positive integers', () => {
    expect(parseIntList('1,1,1', 'blocks')).toEqual({ ok: true, value: [1, 1, 1] });
    expect(parseIntList(' 2, 3 4 ', 'blocks')).toEqual({ ok: true, value: [2, 3, 4] });
  });
  it('rejects zeros, fractions, words and wrong lengths', () => {
    expect(parseIntList('1,0,1', 'blocks')).toEqual({ ok: false, error: '"0" is not a positive whole number' });
    expect(parseIntList('1,1.5', 'blocks').ok).toBe(false);
    expect(parseIntList('a', 'blocks').ok).toBe(false);
    expect(parseIntList('', 'blocks').ok).toBe(false);
    expect(parseIntList('1,1', 'blocks per stage', [3, 4])).toEqual({ ok: false, error: 'blocks per stage needs 3 or 4 numbers, got 2' });
  });
});
