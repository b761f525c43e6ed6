import { describe, expect, it } from 'vitest';
import { betaDraw, logGammaDraw } from './betaSampler';
import { RandomStream, Streams } from './prng';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

const N = 40000;

describe('Gamma draws (Marsaglia-Tsang)', () => {
  // Gamma(k, 1): mean k, variance k. Standard error of the mean sqrt(k / N).
  it.each([0.2, 1, 2.5, 9])('shape %s has mean and variance k', (k) => {
    const rng = new RandomStream(3, Streams.test);
    const xs = Array.from({ length: N }, () => Math.exp(logGammaDraw(rng, k)));
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean - k)).toBeLessThan(5 * Math.sqrt(k / N));
    expect(variance / k).toBeGreaterThan(0.93);
    expect(variance / k).toBeLessThan(1.07);
  });
});

describe('Beta draws', () => {
  // Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)).
  it.each([
    [0.2, 0.2],
    [1, 1],
    [0.4, 2],
    [5, 3],
  ])('Beta(%s, %s) has the textbook mean and variance', (a, b) => {
    const rng = new RandomStream(5, Streams.test);
    const xs = Array.from({ length: N }, () => betaDraw(rng, a, b));
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    const { mean, variance } = moments(xs);
    const s = a + b;
    const wantVar = (a * b) / (s * s * (s + 1));
    expect(Math.abs(mean - a / s)).toBeLessThan(5 * Math.sqrt(wantVar / N));
    expect(variance / wantVar).toBeGreaterThan(0.95);
    expect(variance / wantVar).toBeLessThan(1.05);
  });

  it('stays finite for a tiny alpha, where Gamma draws underflow (almost always 0 or 1)', () => {
    const rng = new RandomStream(9, Streams.test);
    const xs = Array.from({ length: 2000 }, () => betaDraw(rng, 0.005, 0.005));
    expect(xs.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)).toBe(true);
    expect(xs.filter((x) => x > 0.01 && x < 0.99).length).toBeLessThan(100);
    // Symmetric: about half near 1.
    const high = xs.filter((x) => x > 0.5).length / xs.length;
    expect(high).toBeGreaterThan(0.43);
    expect(high).toBeLessThan(0.57);
  });

  it('refuses a shape that is not positive, saying which', () => {
    const rng = new RandomStream(1, Streams.test);
    expect(() => betaDraw(rng, 0, 1)).toThrow(/betaDraw: a must be a positive finite number, got 0/);
    expect(() => betaDraw(rng, 1, NaN)).toThrow(/b must be a positive finite number, got NaN/);
  });
});
