// The per-step hyperparameters of one optimizer update (torch.optim.SGD, Adam, AdamW
// semantics), shared by the GPU update kernels and their float64 CPU reference.

export interface SgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
  dampening: number;
  nesterov: boolean;
  /** True on the first update: the momentum buffer becomes g (PyTorch's clone), so the
   * velocity buffer's initial content is ignored and need not be cleared. */
  firstStep: boolean;
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: param *= 1 - lr*wd before the update, instead of adding wd*param to g. */
  decoupled: boolean;
  /** 1-based count of this update (PyTorch's `step` after its increment). */
  step: number;
}
