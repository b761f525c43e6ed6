// Optimizer settings as the engine sees them (PyTorch semantics). The learning rate is
// not here: it is given per step, so schedules live in src/nn and cost nothing on the GPU.

export type OptimizerSpec = (
  | { kind: 'sgd'; momentum: number; nesterov: boolean; weightDecay: number; dampening?: number }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number; weightDecay: number; /** AdamW */ decoupled: boolean }
) & {
  /** Clip the global gradient L2 norm to this before the update (clip_grad_norm_). */
  clipNorm?: number;
  /** A second parameter group (torch.optim param groups) for the scalar parameters. */
  scalarGroup?: ScalarGroup;
};

/** The scalar parameters (1-element tensors: learned a_res / a_skip, Fixup's biases)
 * train at lrScale times the step's learning rate with their own weight decay; the
 * Fixup authors train them at a tenth of the base rate. */
export interface ScalarGroup {
  lrScale: number;
  weightDecay: number;
}

export function isScalarParam(shape: readonly number[]): boolean {
  return shape.reduce((a, b) => a * b, 1) === 1;
}

/** The learning rate and weight decay a parameter of `shape` trains with at step rate `lr`. */
export function paramHyper(spec: OptimizerSpec, shape: readonly number[], lr: number): { lr: number; weightDecay: number } {
  const g = spec.scalarGroup;
  return g && isScalarParam(shape) ? { lr: lr * g.lrScale, weightDecay: g.weightDecay } : { lr, weightDecay: spec.weightDecay };
}

export function optimizerStateCount(spec: OptimizerSpec): number {
  // SGD keeps its velocity buffer even without momentum: the kernel binds it regardless.
  return spec.kind === 'sgd' ? 1 : 2;
}

/** What one training step measured, read back a step or more late. */
export interface StepMetrics {
  step: number;
  loss: number;
  /** Correctly classified examples in the batch. */
  correct: number;
  batchSize: number;
  /** Global L2 norm of all parameter gradients. */
  gradNorm: number;
  /** L2 norm of each parameter's gradient, in parameter order. */
  paramGradNorms: Float32Array;
  /** Parameter values that are NaN or Inf after the update (all tensors together). */
  nonFiniteValues: number;
}

export function isDiverged(m: StepMetrics): boolean {
  return !Number.isFinite(m.loss) || !Number.isFinite(m.gradNorm) || m.nonFiniteValues > 0;
}
