// The `sweep` command's flags (each problem an error naming its flag) and its printed
// tables. The sweep itself is tested in src/lab/depthSweep.test.ts.

import { describe, expect, it } from 'vitest';
import { formatSweep, parseSweepArgs, type SweepCommand } from './sweep';

const parsed = (argv: string[]) => parseSweepArgs(argv) as SweepCommand;

describe('sweep (command line)', () => {
  it('defaults: the four schemes of the figure, D up to 64, 3 seeds, width 16, no BatchNorm, JSON', () => {
    const { request, format } = parsed([]);
    expect(format).toBe('json');
    expect(request).toEqual({
      schemes: ['he', 'risotto', 'fixup', 'skipinit'],
      maxDepth: 64,
      seeds: 3,
      settings: { width: 16, batchNorm: false, aRes: 1, aSkip: 1, seed: 1 },
      bnStats: 'batch',
      probeSize: 8,
    });
  });

  it('reads every flag', () => {
    const { request, format } = parsed([
      '--schemes',
      'he,risotto',
      '--max-depth',
      '32',
      '--seeds',
      '2',
      '--width',
      '8',
      '--bn',
      '--bn-stats',
      'running',
      '--a-res',
      '0.5',
      '--a-skip',
      '2',
      '--seed',
      '7',
      '--probe',
      '4',
      '--format',
      'csv',
    ]);
    expect(format).toBe('csv');
    expect(request).toEqual({
      schemes: ['he', 'risotto'],
      maxDepth: 32,
      seeds: 2,
      settings: { width: 8, batchNorm: true, aRes: 0.5, aSkip: 2, seed: 7 },
      bnStats: 'running',
      probeSize: 4,
    });
    expect(parseSweepArgs(['--help'])).toBe('help');
  });

  it('refuses bad input with an error naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--max-depth', '24'], /power of two from 1 to 64.*got 24/],
      [['--max-depth', '128'], /--max-depth "128": Depth \(blocks\) must be between 1 and 64/],
      [['--seeds', '0'], /--seeds "0": must be a whole number/],
      [['--seeds', '11'], /seeds must be a whole number from 1 to 10, got 11/],
      [['--width', '15'], /--width "15": Width \(channels\) must be even/],
      [['--a-res', '0'], /--a-res "0": a_res must not be 0/],
      [['--a-skip', 'x'], /--a-skip "x": a_skip must be a number/],
      [['--schemes', 'he,foo'], /--schemes "he,foo": unknown scheme foo \(known: risotto, he/],
      [['--schemes', 'he,he'], /scheme he is listed twice/],
      [['--format', 'xml'], /--format "xml": must be json or csv/],
      [['--bn-stats', 'eval'], /--bn-stats "eval": must be batch or running/],
      [['--bn', '--no-bn'], /contradict/],
      [['--lr', '0.1'], /sweep: Unknown option '--lr'.*sweep --help/],
      [['extra'], /sweep: .*extra/],
    ];
    for (const [argv, msg] of cases) expect(() => parseSweepArgs(argv), argv.join(' ')).toThrow(msg);
  });

  it('prints JSON with the settings and rows (NaN as null), or CSV', () => {
    const cmd = parsed(['--schemes', 'he', '--max-depth', '2', '--seeds', '1']);
    const row = {
      scheme: 'he' as const,
      depth: 1,
      seed: 1,
      batchNorm: false,
      sigmaMax: 5.8,
      sigmaMin: NaN,
      maxAbsDeviation: 4.8,
      rank: 192,
      q: 1.6,
      cosine: 0.55,
    };
    const json = JSON.parse(formatSweep(cmd, [row]));
    expect(json.format).toBe('risotto-lab-sweep');
    expect(json.settings).toEqual({
      width: 16,
      batchNorm: false,
      aRes: 1,
      aSkip: 1,
      seed: 1,
      maxDepth: 2,
      seeds: 1,
      bnStats: 'batch',
      probeSize: 8,
      schemes: ['he'],
    });
    expect(json.rows).toEqual([{ ...row, sigmaMin: null }]);
    expect(formatSweep({ ...cmd, format: 'csv' }, [row]).split('\n')[1]).toBe('he,1,1,false,192,5.8,NaN,4.8,1.6,0.55,');
  });
});
