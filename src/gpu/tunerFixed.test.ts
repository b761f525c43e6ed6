// GPU-free: the fixed choice a tuner makes without timing (tuning off, or an op not yet
// timed) follows the adapter class: an op's softwareDefault on a software rasteriser, its
// default elsewhere and for ops without one.

import { describe, expect, it } from 'vitest';
import type { RecorderContext } from './recorder';
import type { TunableOp } from './sink';
import { KernelTuner } from './tuner';

const op = (softwareDefault?: string): TunableOp => ({
  kind: 'fake',
  shape: 's',
  variants: ['tiled', 'direct'],
  default: 'tiled',
  softwareDefault,
  buffers: [],
  record: () => undefined,
});

const tuner = (enabled: boolean, software?: boolean) => new KernelTuner({} as RecorderContext, { enabled, adapter: 'a', software });

describe('the fixed choice per adapter class', () => {
  it('tuning off: the software default on a software rasteriser, the default on hardware', () => {
    expect(tuner(false, true).choose(op('direct'))).toBe('direct');
    expect(tuner(false, false).choose(op('direct'))).toBe('tiled');
    expect(tuner(false).choose(op('direct'))).toBe('tiled');
    expect(tuner(false, true).choose(op())).toBe('tiled');
  });

  it('tuning on, before the op is timed: the same fixed choice, and the op waits for timing', () => {
    const t = tuner(true, true);
    expect(t.choose(op('direct'))).toBe('direct');
    expect(t.pending.map((o) => o.kind)).toEqual(['fake']);
  });
});
