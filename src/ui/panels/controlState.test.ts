import { describe, expect, it } from 'vitest';
import { controlState, isBusy } from './controlState';

describe('controlState', () => {
  it('idle and valid: only Run and Reset', () => {
    expect(controlState(undefined, [], true)).toEqual({
      run: true,
      runReason: undefined,
      pause: false,
      resume: false,
      stop: false,
      reset: true,
    });
    expect(controlState('finished', [], true).run).toBe(true);
  });
  it('running: Pause and Stop; paused: Resume and Stop; the form is locked', () => {
    expect(controlState('running', [], true)).toMatchObject({ run: false, pause: true, resume: false, stop: true, reset: false });
    expect(controlState('paused', [], true)).toMatchObject({ run: false, pause: false, resume: true, stop: true, reset: false });
    expect(controlState('compiling', [], true)).toMatchObject({ run: false, pause: false, stop: true });
    expect(isBusy('compiling') && isBusy('paused') && !isBusy('stopped') && !isBusy(undefined)).toBe(true);
  });
  it('gives the reason Run is off', () => {
    expect(controlState('idle', ['steps must be a positive integer, got 0', 'x'], true)).toMatchObject({
      run: false,
      runReason: 'fix the experiment first: steps must be a positive integer, got 0 (+1 more)',
    });
    expect(controlState('idle', [], false).runReason).toBe('no usable GPU device');
  });
});
