// Option validation and the shared split-width requirement of the scheme contract.

import { describe, expect, it } from 'vitest';
import { optionErrors, resolveOptions, splitWidthRequirements, type InitOptionSpec } from './scheme';
import { smallConfig } from './testing';

const specs: InitOptionSpec[] = [
  { key: 'a', label: 'a', description: '', type: 'number', default: 1, nonZero: true },
  { key: 'n', label: 'n', description: '', type: 'number', default: null, integer: true, min: 1 },
  { key: 'c', label: 'c', description: '', type: 'choice', default: 'x', choices: ['x', 'y'] },
];

describe('resolveOptions', () => {
  it('fills defaults, keeps null defaults undefined, takes given values', () => {
    expect(resolveOptions('S', specs)).toEqual({ a: 1, n: undefined, c: 'x' });
    expect(resolveOptions('S', specs, { a: -3, n: 4, c: 'y' })).toEqual({ a: -3, n: 4, c: 'y' });
  });

  it('reports every problem in one error', () => {
    expect(optionErrors('S', specs, { a: 0, n: 0.5, c: 'z', d: 1 })).toEqual([
      "S has no option 'd' (options: a, n, c)",
      'S option a must be non-zero',
      'S option n must be an integer, got 0.5',
      'S option c must be one of x, y, got z',
    ]);
    expect(optionErrors('S', specs, { a: Number.NaN, n: 0 })).toEqual([
      'S option a must be a finite number, got NaN',
      'S option n must be at least 1, got 0',
    ]);
    expect(() => resolveOptions('S', specs, { c: 3 })).toThrow(/invalid S options:\n- S option c must be one of x, y, got 3/);
    expect(optionErrors('T', [], { x: 1 })).toEqual(["T has no option 'x' (options: none)"]);
  });
});

describe('splitWidthRequirements', () => {
  it('wants an even width with width / 2 >= inputChannels', () => {
    expect(splitWidthRequirements('S', smallConfig({ width: 6 }))).toEqual([]);
    expect(splitWidthRequirements('S', smallConfig({ width: 5 }))).toHaveLength(2);
    expect(splitWidthRequirements('S', smallConfig({ width: 10, inputChannels: 6 }))[0]).toMatch(/use at least 12/);
  });
});
