// Descriptor of shaders/countNonFinite.wgsl: number of NaN/Inf elements of an f32 tensor
// (u32, at an element offset of `out`), and the plain u32 sum it uses as its second pass
// (also used to count correct predictions). Deterministic two-pass, no atomics.

import code from '../../../shaders/countNonFinite.wgsl?raw';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { withTreeReduce } from './common';
// Same grid as reduce.ts (WG 256 in both shaders), so its partial count applies.
import { reducePartials } from './reduce';

export const countNonFiniteKernel = defineKernel({
  name: 'countNonFinite',
  code: withTreeReduce(code),
  constants: { SUM_U32: 0 },
});

export const sumU32Kernel = defineKernel({ name: 'sumU32', code: withTreeReduce(code), constants: { SUM_U32: 1 } });

export interface CountOptions {
  /** Element offset in `out` where the count lands (default 0). */
  outIndex?: number;
  /** Add to the count already there (e.g. one total over many tensors). */
  accumulate?: boolean;
}

function countPasses(sink: KernelSink, first: KernelSpec, x: BufferRef, out: BufferRef, n: number, opts: CountOptions): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${first.name}: invalid length ${n}`);
  const outIndex = opts.outIndex ?? 0;
  const accumulate = opts.accumulate ? 1 : 0;
  const groups = reducePartials(n);
  if (groups <= 1) {
    sink.dispatch({ kernel: first, buffers: { bits: x, out }, uniforms: { n, outIndex, accumulate }, workgroups: [1] });
    return;
  }
  const partials = sink.scratch(groups * 4, `${first.name}:partials`);
  sink.dispatch({ kernel: first, buffers: { bits: x, out: partials }, uniforms: { n, outIndex: 0, accumulate: 0 }, workgroups: [groups] });
  sink.dispatch({ kernel: sumU32Kernel, buffers: { bits: partials, out }, uniforms: { n: groups, outIndex, accumulate }, workgroups: [1] });
}

/** out[outIndex] (+)= number of NaN or +-Inf among the n f32 elements of x (u32). */
export function countNonFinite(sink: KernelSink, x: BufferRef, out: BufferRef, n: number, opts: CountOptions = {}): void {
  countPasses(sink, countNonFiniteKernel, x, out, n, opts);
}

/** out[outIndex] (+)= sum of n u32 values (wraps mod 2^32). */
export function sumU32(sink: KernelSink, x: BufferRef, out: BufferRef, n: number, opts: CountOptions = {}): void {
  countPasses(sink, sumU32Kernel, x, out, n, opts);
}
