// Descriptor of shaders/argmax.wgsl: row argmax of logits [n, k] (first max on ties) and
// the number of rows whose argmax equals the label (accuracy numerator, u32).

import code from '../../../shaders/argmax.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withRowReduce } from './common';
import { sumU32, type CountOptions } from './countNonFinite';

export const argmaxKernel = defineKernel({ name: 'argmax', code: withRowReduce(code), constants: { COMPARE: 0 } });
export const argmaxMatchKernel = defineKernel({ name: 'argmaxMatch', code: withRowReduce(code), constants: { COMPARE: 1 } });

export interface RowsParams {
  /** Rows (batch). */
  n: number;
  /** Columns (classes), >= 1. */
  k: number;
}

export function checkRows(name: string, p: RowsParams): void {
  if (!Number.isInteger(p.n) || p.n < 0 || !Number.isInteger(p.k) || p.k < 1)
    throw new RangeError(`${name}: invalid shape n=${p.n}, k=${p.k}`);
}

/** out[i] = first index of the maximum of row i (u32 [n]). */
export function argmax(sink: KernelSink, logits: BufferRef, out: BufferRef, p: RowsParams): void {
  checkRows('argmax', p);
  // The labels binding is not read without COMPARE; logits fill it (read-only aliasing is legal).
  sink.dispatch({
    kernel: argmaxKernel,
    buffers: { logits, labels: logits, out },
    uniforms: { n: p.n, k: p.k },
    workgroups: grid1d(p.n, 1),
  });
}

/** count[outIndex] (+)= number of rows whose argmax equals labels[i] (u32). Out-of-range
 * labels count as wrong. */
export function correctCount(
  sink: KernelSink,
  logits: BufferRef,
  labels: BufferRef,
  count: BufferRef,
  p: RowsParams,
  opts?: CountOptions,
): void {
  checkRows('correctCount', p);
  const flags = sink.scratch(Math.max(1, p.n) * 4, 'correctCount:flags');
  sink.dispatch({
    kernel: argmaxMatchKernel,
    buffers: { logits, labels, out: flags },
    uniforms: { n: p.n, k: p.k },
    workgroups: grid1d(p.n, 1),
  });
  sumU32(sink, flags, count, p.n, opts);
}
