// Descriptor of shaders/splitKReduceSegments.wgsl: several split-K reductions (of
// splitKReduce's form) summed in one dispatch, and the collector interface through which a
// split-K kernel hands its reduction to whoever batches them (src/engine/webgpu/splitKBatch.ts).

import code from '../../../shaders/splitKReduceSegments.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withPerIndex } from './common';

export const splitKReduceSegmentsKernel = defineKernel({
  name: 'splitKReduceSegments',
  code: withPerIndex(code),
});

/** One reduction: out[to + i] (+)= sum_k partials[from + k*length + i], i < length (elements). */
export interface SplitKSegment {
  from: number;
  to: number;
  length: number;
  splits: number;
  accumulate: boolean;
}

/** Words per segment in the table (the shader's segs layout). */
const WORDS = 6;

/** The shader's segment table: (first, len, splits, from, to, accumulate) per segment. */
export function segmentTable(segments: readonly SplitKSegment[]): Uint32Array {
  const table = new Uint32Array(WORDS * segments.length);
  let first = 0;
  segments.forEach((s, i) => {
    if (!Number.isInteger(s.splits) || s.splits < 1)
      throw new RangeError(`splitKReduceSegments: splits must be a positive integer, got ${s.splits}`);
    table.set([first, s.length, s.splits, s.from, s.to, s.accumulate ? 1 : 0], WORDS * i);
    first += s.length;
  });
  return table;
}

/** Sums every segment of `table` (segmentTable) from `partials` into `out`. */
export function splitKReduceSegments(
  sink: KernelSink,
  partials: BufferRef,
  out: BufferRef,
  table: BufferRef,
  segments: readonly SplitKSegment[],
): void {
  const n = segments.reduce((s, x) => s + x.length, 0);
  if (segments.length === 0 || n === 0) return;
  sink.dispatch({
    kernel: splitKReduceSegmentsKernel,
    buffers: { partials, out, segs: table },
    uniforms: { n, count: segments.length },
    workgroups: grid1d(n),
  });
}

/** Takes a split-K kernel's reduction instead of it dispatching splitKReduce right away:
 * `partials` gives the kernel a window for its partial blocks, `reduce` registers the sum
 * into `out` (run later, batched with others). */
export interface SplitKCollector {
  partials(bytes: number): BufferRef;
  reduce(partials: BufferRef, out: BufferRef, length: number, splits: number, accumulate: boolean): void;
}
