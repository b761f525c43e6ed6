// Shared histogram bins and gradient-norm grouping for the diagnostics charts.
import { describe, expect, it } from 'vitest';
import { groupGradNorms, sharedLogHistogram, unionGroups } from './diagnosticData';

describe('sharedLogHistogram', () => {
  it('bins every list on the same log-spaced edges and counts every positive value', () => {
    const h = sharedLogHistogram(
      [
        [1, 1, 1],
        [0.01, 0.1, 1, 10, 100, 0],
      ],
      4,
    );
    expect(h.edges).toHaveLength(5);
    expect(h.edges[0]).toBeCloseTo(0.01, 12);
    expect(h.edges[4]).toBeCloseTo(100, 9);
    expect(h.counts[0].reduce((a, b) => a + b)).toBe(3);
    expect(h.counts[1]).toEqual([1, 1, 1, 2]); // 100 sits on the top edge: last bin
  });
  it('puts a perfect isometry in one central bin', () => {
    const h = sharedLogHistogram([[1, 1, 1, 1]], 41);
    expect(h.counts[0][20]).toBe(4);
    expect(h.edges[0]).toBeLessThan(1);
    expect(h.edges[41]).toBeGreaterThan(1);
  });
});

describe('groupGradNorms', () => {
  it('combines by block as sqrt of sum of squares, in network order', () => {
    const g = groupGradNorms(
      [
        'head.fc.weight',
        'stage2.block0.conv1.weight',
        'stage10.block1.aRes',
        'stem.conv.weight',
        'stage2.block0.conv2.weight',
        'stage1.block1.conv1.weight',
        'head.fc.bias',
      ],
      [1, 3, 1, 2, 4, 1, 0],
    );
    expect(g.map((x) => x.group)).toEqual(['stem', 'stage1.block1', 'stage2.block0', 'stage10.block1', 'head']);
    expect(g[2].norm).toBeCloseTo(5, 12);
    expect(g[0].norm).toBe(2);
  });
  it('gives the union of groups in network order', () => {
    expect(
      unionGroups([
        [{ group: 'head', norm: 1 }],
        [
          { group: 'stage1.block0', norm: 1 },
          { group: 'stem', norm: 1 },
        ],
      ]),
    ).toEqual(['stem', 'stage1.block0', 'head']);
  });
});
