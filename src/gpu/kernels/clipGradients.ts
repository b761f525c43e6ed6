// Descriptor of shaders/clipGradients.wgsl: scales gradients so their global L2 norm is
// at most maxNorm (torch.nn.utils.clip_grad_norm_), reading the squared norm that an
// earlier dispatch of the same step wrote into stats[normIndex].

import code from '../../../shaders/clipGradients.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const clipGradientsKernel: KernelSpec = {
  name: 'clipGradients',
  code: withCommon(code),
  storage: ['read', 'read_write'],
  uniforms: [['n', 'u32'], ['normIndex', 'u32'], ['maxNorm', 'f32']],
};

export function clipGradients(sink: KernelSink, stats: BufferRef, normIndex: number, grads: BufferRef, n: number, maxNorm: number): void {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradients: maxNorm must be > 0, got ${maxNorm}`);
  sink.dispatch({ kernel: clipGradientsKernel, buffers: [stats, grads], uniforms: { n, normIndex, maxNorm }, workgroups: grid1d(n) });
}
