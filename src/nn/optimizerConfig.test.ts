// Optimizer configs: defaults per kind, the translation to the engine's OptimizerSpec,
// and validation messages for bad or mismatched fields.

import { describe, expect, it } from 'vitest';
import {
  OPTIMIZER_KINDS,
  optimizerDefaults,
  resolveOptimizerConfig,
  scalarGroupOf,
  toOptimizerSpec,
  validateOptimizerConfig,
  type OptimizerConfig,
} from './optimizerConfig';

describe('defaults', () => {
  it('gives SGD momentum 0.9 and weight decay 5e-4', () => {
    expect(resolveOptimizerConfig({ kind: 'sgd', lr: 0.1 })).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
    expect(optimizerDefaults('sgd-nesterov')).toEqual({ momentum: 0.9, weightDecay: 5e-4 });
  });

  it('gives AdamW betas 0.9 / 0.999, eps 1e-8, weight decay 0.01 and Adam no decay', () => {
    expect(resolveOptimizerConfig({ kind: 'adamw', lr: 1e-3 })).toEqual({
      kind: 'adamw',
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.01,
    });
    expect(optimizerDefaults('adam')).toEqual({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  });

  it('keeps the fields the user set, zero included', () => {
    const r = resolveOptimizerConfig({ kind: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0 });
    expect(r).toEqual({ kind: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0 });
  });

  it('returns a fresh object each time', () => {
    const a = optimizerDefaults('sgd') as { momentum: number };
    a.momentum = 0.5;
    expect(optimizerDefaults('sgd')).toEqual({ momentum: 0.9, weightDecay: 5e-4 });
  });
});

describe('toOptimizerSpec', () => {
  it('maps each kind to the engine spec', () => {
    expect(toOptimizerSpec({ kind: 'sgd', lr: 0.1 })).toEqual({
      kind: 'sgd',
      momentum: 0.9,
      nesterov: false,
      weightDecay: 5e-4,
      dampening: 0,
    });
    expect(toOptimizerSpec({ kind: 'sgd-nesterov', lr: 0.1, momentum: 0.8 })).toEqual({
      kind: 'sgd',
      momentum: 0.8,
      nesterov: true,
      weightDecay: 5e-4,
      dampening: 0,
    });
    expect(toOptimizerSpec({ kind: 'adamw', lr: 1e-3, beta2: 0.99 })).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0.01,
      decoupled: true,
    });
    expect(toOptimizerSpec({ kind: 'adam', lr: 1e-3, weightDecay: 1e-4 })).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 1e-4,
      decoupled: false,
    });
  });

  it('accepts every listed kind', () => {
    for (const kind of OPTIMIZER_KINDS) expect(() => toOptimizerSpec({ kind, lr: 0.01 })).not.toThrow();
  });

  it('throws with every problem listed', () => {
    expect(() => toOptimizerSpec({ kind: 'sgd', lr: -1, momentum: 1 })).toThrow(
      /lr must be a positive finite number, got -1\n- momentum must be in \[0, 1\), got 1/,
    );
  });
});

describe('validateOptimizerConfig', () => {
  const bad: [string, unknown, RegExp][] = [
    ['an unknown kind', { kind: 'rmsprop', lr: 0.1 }, /kind must be one of sgd, sgd-nesterov, adamw, adam, got rmsprop/],
    ['no config', undefined, /kind must be one of/],
    ['a missing lr', { kind: 'sgd' }, /lr is required/],
    ['a NaN lr', { kind: 'adam', lr: NaN }, /lr must be a positive finite number, got NaN/],
    ['a string lr', { kind: 'adam', lr: '0.1' }, /lr must be a positive finite number/],
    ['negative weight decay', { kind: 'adamw', lr: 1e-3, weightDecay: -0.1 }, /weightDecay must be a non-negative/],
    ['beta1 of 1', { kind: 'adam', lr: 1e-3, beta1: 1 }, /beta1 must be in \[0, 1\)/],
    ['beta2 above 1', { kind: 'adamw', lr: 1e-3, beta2: 1.5 }, /beta2 must be in \[0, 1\)/],
    ['zero eps', { kind: 'adam', lr: 1e-3, eps: 0 }, /eps must be a positive/],
    ['momentum for Adam', { kind: 'adam', lr: 1e-3, momentum: 0.9 }, /momentum does not apply to adam/],
    ['betas for SGD', { kind: 'sgd', lr: 0.1, beta1: 0.9 }, /beta1 does not apply to sgd/],
    ['a zero scalar lr', { kind: 'sgd', lr: 0.1, scalarLr: 0 }, /scalarLr must be a fraction of the learning rate in \(0, 100\]/],
    ['a non-boolean scalar decay', { kind: 'sgd', lr: 0.1, scalarWeightDecay: 'no' }, /scalarWeightDecay must be true or false, got no/],
    ['Nesterov without momentum', { kind: 'sgd-nesterov', lr: 0.1, momentum: 0 }, /sgd-nesterov needs momentum > 0/],
  ];
  for (const [name, cfg, msg] of bad) {
    it(`rejects ${name}`, () => expect(validateOptimizerConfig(cfg as OptimizerConfig).join('\n')).toMatch(msg));
  }

  it('accepts a full valid config', () => {
    expect(validateOptimizerConfig({ kind: 'adamw', lr: 3e-4, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.05 })).toEqual([]);
    expect(validateOptimizerConfig({ kind: 'sgd', lr: 0.1, momentum: 0 })).toEqual([]);
  });
});

describe('the scalar parameter group', () => {
  it('follows the scheme default unless the config sets a fraction; no decay only when asked', () => {
    const sgd: OptimizerConfig = { kind: 'sgd', lr: 0.1, weightDecay: 5e-4 };
    expect(scalarGroupOf(sgd)).toBeUndefined();
    expect(scalarGroupOf(sgd, 0.1)).toEqual({ lrScale: 0.1, weightDecay: 5e-4 });
    expect(scalarGroupOf({ ...sgd, scalarLr: 1 }, 0.1)).toBeUndefined();
    expect(scalarGroupOf({ ...sgd, scalarWeightDecay: false })).toEqual({ lrScale: 1, weightDecay: 0 });
    expect(scalarGroupOf({ kind: 'adamw', lr: 1e-3, scalarLr: 0.5 })).toEqual({ lrScale: 0.5, weightDecay: 0.01 });
    expect(toOptimizerSpec({ ...sgd, scalarWeightDecay: false }, 0.1).scalarGroup).toEqual({ lrScale: 0.1, weightDecay: 0 });
    expect(toOptimizerSpec(sgd).scalarGroup).toBeUndefined();
  });
});
