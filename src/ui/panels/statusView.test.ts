import { describe, expect, it } from 'vitest';
import type { ComparisonSnapshot } from '../../lab/runState';
import { adapterName, statusView } from './statusView';

const snap = (over: Partial<ComparisonSnapshot>): ComparisonSnapshot => ({
  phase: 'running',
  step: 250,
  totalSteps: 1000,
  stepsPerSecond: 12.5,
  imagesPerSecond: 3200,
  etaSeconds: 60,
  compileMs: 900,
  gpuBytesInUse: 42 * 1024 * 1024,
  recoveredAt: [],
  spectra: [],
  signals: [],
  warnings: [],
  runs: [],
  ...over,
});

describe('statusView', () => {
  it('before any run: ready, 0 of the planned steps', () => {
    expect(statusView(undefined, 500)).toMatchObject({
      phase: 'idle',
      phaseLabel: 'Ready',
      progress: '0 / 500',
      fraction: 0,
      eta: '–',
      memory: '–',
    });
  });
  it('while training: progress, ETA, rates and memory', () => {
    expect(statusView(snap({}), 500)).toEqual({
      phase: 'running',
      phaseLabel: 'Training',
      step: 250,
      total: 1000,
      fraction: 0.25,
      progress: '250 / 1000',
      eta: '1m 0s',
      rates: '12.5 steps/s · 3200 img/s',
      memory: '42 MB',
      recovered: '',
      kernels: '',
    });
  });
  it('compiling is its own phase and paused shows no ETA', () => {
    expect(statusView(snap({ phase: 'compiling', step: 0, stepsPerSecond: 0 }), 1).phaseLabel).toBe('Compiling shaders…');
    expect(
      statusView(snap({ phase: 'compiling', step: 0, stepsPerSecond: 0, activity: 'compiling pipelines 3/28 (He)' }), 1).phaseLabel,
    ).toBe('Compiling pipelines 3/28 (He)');
    expect(statusView(snap({ phase: 'running', step: 0, stepsPerSecond: 0, activity: 'first step' }), 1).phaseLabel).toBe('First step');
    expect(statusView(snap({ phase: 'paused' }), 1).eta).toBe('–');
  });
  it('says where training resumed after a lost device', () => {
    expect(statusView(snap({ recoveredAt: [120, 300] }), 1).recovered).toBe('resumed after GPU loss at step 120, 300');
  });
  it('the tuning phase counts shapes; once compiled, how the kernels were chosen', () => {
    expect(statusView(snap({ phase: 'compiling', activity: 'tuning kernels 2/9 shapes (He)' }), 1).phaseLabel).toBe(
      'Tuning kernels 2/9 shapes (He)',
    );
    const kernels = (k: ComparisonSnapshot['kernels']) => statusView(snap({ kernels: k }), 1).kernels;
    expect(kernels({ tuning: false, shapes: 0, timed: 0 })).toBe('kernels fixed (tuning off)');
    expect(kernels({ tuning: true, shapes: 9, timed: 9 })).toBe('kernels tuned: 9 shapes, 9 timed');
    expect(kernels({ tuning: true, shapes: 9, timed: 0 })).toBe('kernels tuned: 9 shapes, 0 timed (9 kept from earlier)');
    expect(kernels({ tuning: true, shapes: 1, timed: 0 })).toBe('kernels tuned: 1 shape, 0 timed (1 kept from earlier)');
  });
});

describe('adapterName', () => {
  it('joins the fields that are set', () => {
    expect(adapterName({ vendor: 'google', architecture: 'swiftshader', description: '', device: '' })).toBe('google · swiftshader');
    expect(adapterName(undefined)).toBe('no GPU');
  });
});
