// Descriptor of shaders/sgdUpdate.wgsl: one torch.optim.SGD step in place. Per-step
// hyperparameters live in a small storage buffer (layout SGD_HYPER, packed by
// packSgdHyper) that the engine rewrites with one writeBuffer per step, so a recorded
// program is replayed unchanged; only n is baked into the uniform.

import code from '../../../shaders/sgdUpdate.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import type { SgdHyper } from '../../util/optimizerHyper';
import { grid1d, withCommon } from './common';

export type { SgdHyper };

/** Float index of each field in the hyper buffer (= field order of the WGSL struct). */
export const SGD_HYPER = { lr: 0, momentum: 1, weightDecay: 2, dampening: 3, nesterov: 4, firstStep: 5 } as const;
export const SGD_HYPER_LENGTH = 6;
export const SGD_HYPER_BYTES = SGD_HYPER_LENGTH * 4;

/** Validates like torch.optim.SGD and packs the f32 record for the hyper buffer. */
export function packSgdHyper(h: SgdHyper): Float32Array {
  if (!(h.lr >= 0) || !(h.momentum >= 0) || !(h.weightDecay >= 0)) {
    throw new Error(`SGD: lr, momentum and weightDecay must be >= 0 (got ${h.lr}, ${h.momentum}, ${h.weightDecay})`);
  }
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new Error('SGD: Nesterov momentum requires momentum > 0 and dampening = 0');
  }
  const out = new Float32Array(SGD_HYPER_LENGTH);
  out[SGD_HYPER.lr] = h.lr;
  out[SGD_HYPER.momentum] = h.momentum;
  out[SGD_HYPER.weightDecay] = h.weightDecay;
  out[SGD_HYPER.dampening] = h.dampening;
  out[SGD_HYPER.nesterov] = h.nesterov ? 1 : 0;
  out[SGD_HYPER.firstStep] = h.firstStep ? 1 : 0;
  return out;
}

export const sgdUpdateKernel: KernelSpec = {
  name: 'sgdUpdate',
  code: withCommon(code),
  storage: ['read_write', 'read', 'read_write', 'read'],
  uniforms: [['n', 'u32']],
};

/** param -= lr * update(grad) in place; `velocity` (n floats) is written only when
 * momentum != 0. `hyper` holds SGD_HYPER_BYTES and may be a window of a larger buffer. */
export function sgdUpdate(sink: KernelSink, param: BufferRef, grad: BufferRef, velocity: BufferRef, hyper: BufferRef, n: number): void {
  sink.dispatch({ kernel: sgdUpdateKernel, buffers: [param, grad, velocity, hyper], uniforms: { n }, workgroups: grid1d(n) });
}
