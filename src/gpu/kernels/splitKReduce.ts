// Descriptor of shaders/splitKReduce.wgsl: out[i] (+)= sum_s partials[s*length + i].
// Generic second pass of any split-K GEMM; it knows nothing about convolutions.

import code from '../../../shaders/splitKReduce.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withPerIndex } from './common';

export const splitKReduceKernel = defineKernel({
  name: 'splitKReduce',
  code: withPerIndex(code),
});

export function splitKReduce(
  sink: KernelSink,
  partials: BufferRef,
  out: BufferRef,
  length: number,
  splits: number,
  accumulate: boolean,
): void {
  if (!Number.isInteger(splits) || splits < 1) throw new RangeError(`splitKReduce: splits must be a positive integer, got ${splits}`);
  sink.dispatch({
    kernel: splitKReduceKernel,
    buffers: { partials, out },
    uniforms: { n: length, splits, accumulate: accumulate ? 1 : 0 },
    workgroups: grid1d(length),
  });
}
