// Float64 reference for the optimizer update kernels (torch.optim.SGD, Adam, AdamW):
// one step in place per call, state arrays carried by the caller across steps.
// Straight loops, used by tests and the validate mode only. The hyperparameter records
// are the GPU kernels' own (src/util/optimizerHyper.ts).

import type { AdamHyper, SgdHyper } from '../../util';

export function sgdStep(param: Float64Array, grad: Float64Array, velocity: Float64Array, h: SgdHyper): void {
  for (let i = 0; i < param.length; i++) {
    let g = grad[i];
    if (h.weightDecay !== 0) g += h.weightDecay * param[i];
    if (h.momentum !== 0) {
      const buf = h.firstStep ? g : h.momentum * velocity[i] + (1 - h.dampening) * g;
      velocity[i] = buf;
      g = h.nesterov ? g + h.momentum * buf : buf;
    }
    param[i] -= h.lr * g;
  }
}

export function adamStep(param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array, h: AdamHyper): void {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  for (let i = 0; i < param.length; i++) {
    let g = grad[i];
    if (h.weightDecay !== 0) {
      if (h.decoupled) param[i] *= 1 - h.lr * h.weightDecay;
      else g += h.weightDecay * param[i];
    }
    m[i] = h.beta1 * m[i] + (1 - h.beta1) * g;
    v[i] = h.beta2 * v[i] + (1 - h.beta2) * g * g;
    param[i] -= ((h.lr / bc1) * m[i]) / (Math.sqrt(v[i] / bc2) + h.eps);
  }
}

/** torch.nn.utils.clip_grad_norm_ over all gradients together, in place; returns the
 * norm before clipping. */
export function clipGradNorm(grads: readonly Float64Array[], maxNorm: number): number {
  let sq = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const norm = Math.sqrt(sq);
  const f = Math.min(1, maxNorm / (norm + 1e-6));
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= f;
  return norm;
}
