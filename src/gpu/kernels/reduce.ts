// Descriptor of shaders/reduce.wgsl: f32 tensors reduced to one value (sum, sum of
// squares, max |x|, dot) written at an element offset of `out`, so many tensors' norms
// can share one buffer and one readback. Deterministic: a fixed two-pass tree, no atomics.

import code from '../../../shaders/reduce.wgsl?raw';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, withTreeReduce } from './common';

export type ReduceOp = 'sum' | 'sumSquares' | 'maxAbs' | 'dot';

const OP_CODE: Record<ReduceOp, number> = { sum: 0, sumSquares: 1, maxAbs: 2, dot: 3 };
/** Workgroup size of the reduction (power of two: the tree halves it). */
export const REDUCE_WG = 256;
/** Each pass-1 thread loads at least this many elements (grid-stride), so small and
 * mid-size tensors do not pay a tree reduction per 256 elements. */
export const REDUCE_ITEMS_PER_THREAD = 8;
/** Pass-1 workgroups are capped so the second pass is one workgroup reading <= 4 partials
 * per thread, while still giving a big GPU ~262k threads of loads in flight. */
export const REDUCE_MAX_PARTIALS = 1024;

function spec(op: ReduceOp): KernelSpec {
  return defineKernel({ name: `reduce:${op}`, code: withTreeReduce(code), constants: { OP: OP_CODE[op] } });
}

export const reduceKernels: Readonly<Record<ReduceOp, KernelSpec>> = {
  sum: spec('sum'),
  sumSquares: spec('sumSquares'),
  maxAbs: spec('maxAbs'),
  dot: spec('dot'),
};

export interface ReduceOptions {
  /** Element offset in `out` where the result lands (default 0). */
  outIndex?: number;
  /** Combine with the value already there instead of overwriting: + for sums, max for maxAbs. */
  accumulate?: boolean;
}

/** Pass-1 workgroup count for n elements (1 means a single pass). */
export function reducePartials(n: number): number {
  return Math.min(ceilDiv(n, REDUCE_WG * REDUCE_ITEMS_PER_THREAD), REDUCE_MAX_PARTIALS);
}

/** out[outIndex] (op)= scale * reduce_op(x[, y]) over n elements. `y` is read by 'dot' only
 * (other ops bind x twice). `scale` is applied to sums only (e.g. 1/n for a mean). */
export function reduce(
  sink: KernelSink,
  op: ReduceOp,
  x: BufferRef,
  y: BufferRef | undefined,
  out: BufferRef,
  n: number,
  opts: ReduceOptions & { scale?: number } = {},
): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`reduce: invalid length ${n}`);
  if (op === 'dot' && !y) throw new Error('reduce: dot needs a second input');
  const outIndex = opts.outIndex ?? 0;
  const accumulate = opts.accumulate ? 1 : 0;
  const scale = op === 'maxAbs' ? 1 : (opts.scale ?? 1);
  const second = y ?? x;
  const groups = reducePartials(n);
  if (groups <= 1) {
    // n = 0 still runs one workgroup so the result is the identity (0), not stale memory.
    sink.dispatch({
      kernel: reduceKernels[op],
      buffers: { x, y: second, out },
      uniforms: { n, outIndex, accumulate, scale },
      workgroups: [1],
    });
    return;
  }
  const partials = sink.scratch(groups * 4, `reduce:${op}:partials`);
  sink.dispatch({
    kernel: reduceKernels[op],
    buffers: { x, y: second, out: partials },
    uniforms: { n, outIndex: 0, accumulate: 0, scale: 1 },
    workgroups: [groups],
  });
  const finish = op === 'maxAbs' ? 'maxAbs' : 'sum';
  sink.dispatch({
    kernel: reduceKernels[finish],
    buffers: { x: partials, y: partials, out },
    uniforms: { n: groups, outIndex, accumulate, scale },
    workgroups: [1],
  });
}

export function reduceSum(sink: KernelSink, x: BufferRef, out: BufferRef, n: number, opts?: ReduceOptions): void {
  reduce(sink, 'sum', x, undefined, out, n, opts);
}

export function reduceSumSquares(sink: KernelSink, x: BufferRef, out: BufferRef, n: number, opts?: ReduceOptions): void {
  reduce(sink, 'sumSquares', x, undefined, out, n, opts);
}

/** max |x_i|. NaN inputs give an unspecified result (WGSL max); use countNonFinite to detect them. */
export function reduceMaxAbs(sink: KernelSink, x: BufferRef, out: BufferRef, n: number, opts?: ReduceOptions): void {
  reduce(sink, 'maxAbs', x, undefined, out, n, opts);
}

export function reduceDot(sink: KernelSink, x: BufferRef, y: BufferRef, out: BufferRef, n: number, opts?: ReduceOptions): void {
  reduce(sink, 'dot', x, y, out, n, opts);
}
