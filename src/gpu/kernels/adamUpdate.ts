// Descriptor of shaders/adamUpdate.wgsl: one torch.optim.Adam / AdamW step in place.
// Per-step hyperparameters (lr, bias corrections) live in a small storage buffer
// (the WGSL struct Hyper, packed by packAdamHyper) rewritten with one writeBuffer per step,
// so a recorded program is replayed unchanged; only n is baked into the uniform.

import code from '../../../shaders/adamUpdate.wgsl?raw';
import { defineKernel, structLayout, type BufferRef } from '../kernel';
import { packUniforms, planUniforms } from '../uniforms';
import type { KernelSink } from '../recorder';
import type { AdamHyper } from '../../util';
import { grid1d, withPerIndex } from './common';

export type { AdamHyper };

/** The hyper buffer's fields, in the order of the WGSL struct Hyper. */
const HYPER = structLayout(code, 'Hyper');
export const ADAM_HYPER_BYTES = planUniforms(HYPER).byteSize;

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
  const { lr, beta1, beta2, eps, weightDecay } = h;
  const values = {
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    biasCorrection1: 1 - beta1 ** h.step,
    biasCorrection2: 1 - beta2 ** h.step,
    decoupled: h.decoupled ? 1 : 0,
    oneMinusBeta1: 1 - beta1,
    oneMinusBeta2: 1 - beta2,
  };
  return new Float32Array(packUniforms(HYPER, values));
}

export const adamUpdateKernel = defineKernel({
  name: 'adamUpdate',
  code: withPerIndex(code),
});

/** param, m (first moment) and v (second moment) updated in place; m and v start at
 * zero (clear them once). `hyper` holds ADAM_HYPER_BYTES, possibly a window. */
export function adamUpdate(
  sink: KernelSink,
  param: BufferRef,
  grad: BufferRef,
  m: BufferRef,
  v: BufferRef,
  hyper: BufferRef,
  n: number,
): void {
  sink.dispatch({ kernel: adamUpdateKernel, buffers: { weights: param, grad, m, v, h: hyper }, uniforms: { n }, workgroups: grid1d(n) });
}
