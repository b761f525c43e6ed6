import { describe, expect, it } from 'vitest';
import { decodeExplorer, defaultExplorerState, encodeExplorer, joinExploreSection, splitExploreSection } from './exploreLink';

describe("the explorer's link section", () => {
  it('round-trips every setting', () => {
    const s = { depth: 32, width: 24, batchNorm: true, aRes: 0.5, aSkip: -2, seed: 7, schemes: ['risotto', 'fixup', 'he'] as const };
    const text = encodeExplorer({ ...s, schemes: [...s.schemes] });
    expect(text).toBe('depth:32,width:24,aRes:0.5,aSkip:-2,seed:7,bn:1,schemes:risotto+fixup+he');
    expect(decodeExplorer(text)).toEqual({ state: { ...s, schemes: [...s.schemes] }, warnings: [] });
    expect(decodeExplorer('')).toEqual({ state: defaultExplorerState(), warnings: [] });
  });

  it('sits after the experiment in the fragment and leaves it untouched', () => {
    expect(splitExploreSection('v=2&ds=mnist')).toEqual({ rest: 'v=2&ds=mnist' });
    expect(splitExploreSection('v=2&ds=mnist#explore=depth:4')).toEqual({ rest: 'v=2&ds=mnist', explore: 'depth:4' });
    expect(splitExploreSection('explore=depth:4')).toEqual({ rest: '', explore: 'depth:4' });
    expect(joinExploreSection('v=2', 'depth:4')).toBe('v=2#explore=depth:4');
    expect(joinExploreSection('', 'depth:4')).toBe('explore=depth:4');
    expect(joinExploreSection('v=2', undefined)).toBe('v=2');
  });

  it('a bad value falls back to its default with a warning naming the range; unknown keys are named', () => {
    const { state, warnings } = decodeExplorer('depth:100,width:15,aRes:0,seed:x,bn:yes,schemes:he+nope,colour:red,aSkip:2');
    expect(state).toEqual({ ...defaultExplorerState(), aSkip: 2 });
    expect(warnings).toEqual([
      'explore Depth (blocks) must be between 1 and 64, got 100; using 8',
      'explore Width (channels) must be even (looks-linear schemes split the channels in halves), got 15; using 16',
      'explore a_res must not be 0 (the Risotto construction divides by it); using 1',
      'explore Seed must be a number, got NaN; using 1',
      'explore bn:"yes" must be 1 or 0; BatchNorm off',
      expect.stringMatching(/^explore schemes: unknown scheme nope \(known: .*\); using he, risotto$/),
      'explore: unknown setting "colour" (known: depth, width, aRes, aSkip, seed, bn, schemes); ignored',
    ]);
    expect(decodeExplorer('depth:%E0%A4%A').warnings[0]).toMatch(/not valid URL text/);
  });
});
