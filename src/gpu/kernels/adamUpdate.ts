// Descriptor of shaders/adamUpdate.wgsl: one torch.optim.Adam / AdamW step in place.
// Per-step hyperparameters (lr, bias corrections) live in a small storage buffer
// (layout ADAM_HYPER, packed by packAdamHyper) rewritten with one writeBuffer per step,
// so a recorded program is replayed unchanged; only n is baked into the uniform.

import code from '../../../shaders/adamUpdate.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import type { AdamHyper } from '../../util/optimizerHyper';
import { grid1d, withCommon } from './common';

export type { AdamHyper };

/** Float index of each field in the hyper buffer (= field order of the WGSL struct). */
export const ADAM_HYPER = {
  lr: 0, beta1: 1, beta2: 2, eps: 3, weightDecay: 4, biasCorrection1: 5, biasCorrection2: 6, decoupled: 7,
  oneMinusBeta1: 8, oneMinusBeta2: 9,
} as const;
export const ADAM_HYPER_LENGTH = 10;
export const ADAM_HYPER_BYTES = ADAM_HYPER_LENGTH * 4;

/** Validates like torch.optim.Adam and packs the f32 record. 1 - beta^t and 1 - beta are
 * computed here in float64, as PyTorch does: no pow in the kernel, and no f32
 * cancellation (1 - 0.999f is off by 1.3e-5 relative, which would bias v). */
export function packAdamHyper(h: AdamHyper): Float32Array {
  if (!(h.lr >= 0) || !(h.eps >= 0) || !(h.weightDecay >= 0)) {
    throw new Error(`Adam: lr, eps and weightDecay must be >= 0 (got ${h.lr}, ${h.eps}, ${h.weightDecay})`);
  }
  if (!(h.beta1 >= 0 && h.beta1 < 1) || !(h.beta2 >= 0 && h.beta2 < 1)) {
    throw new Error(`Adam: betas must lie in [0, 1) (got ${h.beta1}, ${h.beta2})`);
  }
  if (!Number.isInteger(h.step) || h.step < 1) throw new Error(`Adam: step must be an integer >= 1 (got ${h.step})`);
  const out = new Float32Array(ADAM_HYPER_LENGTH);
  out[ADAM_HYPER.lr] = h.lr;
  out[ADAM_HYPER.beta1] = h.beta1;
  out[ADAM_HYPER.beta2] = h.beta2;
  out[ADAM_HYPER.eps] = h.eps;
  out[ADAM_HYPER.weightDecay] = h.weightDecay;
  out[ADAM_HYPER.biasCorrection1] = 1 - h.beta1 ** h.step;
  out[ADAM_HYPER.biasCorrection2] = 1 - h.beta2 ** h.step;
  out[ADAM_HYPER.decoupled] = h.decoupled ? 1 : 0;
  out[ADAM_HYPER.oneMinusBeta1] = 1 - h.beta1;
  out[ADAM_HYPER.oneMinusBeta2] = 1 - h.beta2;
  return out;
}

export const adamUpdateKernel: KernelSpec = {
  name: 'adamUpdate',
  code: withCommon(code),
  storage: ['read_write', 'read', 'read_write', 'read_write', 'read'],
  uniforms: [['n', 'u32']],
};

/** param, m (first moment) and v (second moment) updated in place; m and v start at
 * zero (clear them once). `hyper` holds ADAM_HYPER_BYTES, possibly a window. */
export function adamUpdate(
  sink: KernelSink, param: BufferRef, grad: BufferRef, m: BufferRef, v: BufferRef, hyper: BufferRef, n: number,
): void {
  sink.dispatch({ kernel: adamUpdateKernel, buffers: [param, grad, m, v, hyper], uniforms: { n }, workgroups: grid1d(n) });
}
