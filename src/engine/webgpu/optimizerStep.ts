// Records the optimizer update of every parameter into a step program and packs the
// per-step hyperparameter record (learning rate, step count) written before each run.

import { adamUpdate, ADAM_HYPER_BYTES, packAdamHyper, packSgdHyper, SGD_HYPER_BYTES, sgdUpdate } from '../../gpu';
import type { BufferRef, KernelSink } from '../../gpu';
import type { OptimizerSpec } from '../optimizer';

/** Flat parameter, gradient and optimizer-state buffers (see flatParams.ts). */
export interface FlatSlots {
  param: BufferRef;
  grad: BufferRef;
  /** Velocity, or Adam's m and v; zero at creation. */
  state: BufferRef[];
  length: number;
}

export function hyperBytes(spec: OptimizerSpec): number {
  return spec.kind === 'sgd' ? SGD_HYPER_BYTES : ADAM_HYPER_BYTES;
}

/** One dispatch updates every parameter: padding between tensors is zero in the
 * parameters and gradients, so it stays zero. */
export function recordUpdate(k: KernelSink, spec: OptimizerSpec, hyper: GPUBuffer, s: FlatSlots): void {
  if (spec.kind === 'sgd') sgdUpdate(k, s.param, s.grad, s.state[0], hyper, s.length);
  else adamUpdate(k, s.param, s.grad, s.state[0], s.state[1], hyper, s.length);
}

/** The scalar group's record: its share of `lr` and its own weight decay. */
export function groupHyper(spec: OptimizerSpec, lr: number, step: number): Float32Array {
  const g = spec.scalarGroup;
  if (!g) throw new Error('groupHyper: the optimizer has no scalar parameter group');
  return packHyper({ ...spec, weightDecay: g.weightDecay }, lr * g.lrScale, step);
}

/** The hyper record for step `step` (1-based) at learning rate `lr`. */
export function packHyper(spec: OptimizerSpec, lr: number, step: number): Float32Array {
  if (spec.kind === 'sgd') {
    return packSgdHyper({
      lr,
      momentum: spec.momentum,
      weightDecay: spec.weightDecay,
      dampening: spec.dampening ?? 0,
      nesterov: spec.nesterov,
      firstStep: step === 1,
    });
  }
  return packAdamHyper({
    lr,
    beta1: spec.beta1,
    beta2: spec.beta2,
    eps: spec.eps,
    weightDecay: spec.weightDecay,
    decoupled: spec.decoupled,
    step,
  });
}
