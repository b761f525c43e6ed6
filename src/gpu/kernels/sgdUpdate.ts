// Descriptor of shaders/sgdUpdate.wgsl: one torch.optim.SGD step in place. Per-step
// hyperparameters live in a small storage buffer (the WGSL struct Hyper, packed
// by packSgdHyper) that the engine rewrites with one writeBuffer per step, so a recorded
// program is replayed unchanged; only n is baked into the uniform.

import code from '../../../shaders/sgdUpdate.wgsl?raw';
import { defineKernel, structLayout, type BufferRef } from '../kernel';
import { packUniforms, planUniforms } from '../uniforms';
import type { KernelSink } from '../recorder';
import type { SgdHyper } from '../../util';
import { grid1d, withPerIndex } from './common';

export type { SgdHyper };

/** The hyper buffer's fields, in the order of the WGSL struct Hyper. */
const HYPER = structLayout(code, 'Hyper');
export const SGD_HYPER_BYTES = planUniforms(HYPER).byteSize;

/** Validates like torch.optim.SGD and packs the f32 record for the hyper buffer. */
export function packSgdHyper(h: SgdHyper): Float32Array {
  if (!(h.lr >= 0) || !(h.momentum >= 0) || !(h.weightDecay >= 0)) {
    throw new Error(`SGD: lr, momentum and weightDecay must be >= 0 (got ${h.lr}, ${h.momentum}, ${h.weightDecay})`);
  }
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new Error('SGD: Nesterov momentum requires momentum > 0 and dampening = 0');
  }
  const { lr, momentum, weightDecay, dampening } = h;
  const values = { lr, momentum, weightDecay, dampening, nesterov: h.nesterov ? 1 : 0, firstStep: h.firstStep ? 1 : 0 };
  return new Float32Array(packUniforms(HYPER, values));
}

export const sgdUpdateKernel = defineKernel({
  name: 'sgdUpdate',
  code: withPerIndex(code),
});

/** param -= lr * update(grad) in place; `velocity` (n floats) is written only when
 * momentum != 0. `hyper` holds SGD_HYPER_BYTES and may be a window of a larger buffer. */
export function sgdUpdate(sink: KernelSink, param: BufferRef, grad: BufferRef, velocity: BufferRef, hyper: BufferRef, n: number): void {
  sink.dispatch({ kernel: sgdUpdateKernel, buffers: { weights: param, grad, velocity, h: hyper }, uniforms: { n }, workgroups: grid1d(n) });
}
