// Descriptor of shaders/batchNormEval.wgsl: inference-mode batch norm with the running
// statistics (read only).

import code from '../../../shaders/batchNormEval.wgsl?raw';
import type { BufferRef, KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withCommon } from './common';

export const batchNormEvalKernel: KernelSpec = {
  name: 'batchNormEval',
  code: withCommon(code),
  storage: ['read', 'read', 'read', 'read', 'read', 'read_write'],
  uniforms: [['total', 'u32'], ['c', 'u32'], ['hw', 'u32'], ['eps', 'f32']],
};

export function batchNormEval(
  sink: KernelSink,
  x: BufferRef,
  gamma: BufferRef,
  beta: BufferRef,
  runningMean: BufferRef,
  runningVar: BufferRef,
  y: BufferRef,
  p: { n: number; c: number; hw: number; eps: number },
): void {
  const total = p.n * p.c * p.hw;
  sink.dispatch({
    kernel: batchNormEvalKernel,
    buffers: [x, gamma, beta, runningMean, runningVar, y],
    uniforms: { total, c: p.c, hw: p.hw, eps: p.eps },
    workgroups: grid1d(total),
  });
}
