// Descriptor of shaders/batchNormApply.wgsl: training-mode normalisation with the saved
// batch mean / invStd.

import code from '../../../shaders/batchNormApply.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const batchNormApplyKernel: KernelSpec = {
  name: 'batchNormApply',
  code: withCommon(code),
  storage: ['read', 'read', 'read', 'read', 'read', 'read_write'],
  uniforms: [['total', 'u32'], ['c', 'u32'], ['hw', 'u32']],
};

export function batchNormApply(
  sink: KernelSink,
  x: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  mean: BufferRef,
  invStd: BufferRef,
  y: BufferRef,
  p: { n: number; c: number; hw: number },
): void {
  const total = p.n * p.c * p.hw;
  sink.dispatch({ kernel: batchNormApplyKernel, buffers: [x, gamma, beta, mean, invStd, y], uniforms: { total, c: p.c, hw: p.hw }, workgroups: grid1d(total) });
}
