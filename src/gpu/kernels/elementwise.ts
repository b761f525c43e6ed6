// The element-wise kernels of shaders/elementwise.wgsl, one function each, run through
// the shared item shaders/common/elementwiseMain.wgsl (entry point common/perIndex.wgsl). Adding one is a WGSL
// function plus its name in ELEMENTWISE; buffers and uniform fields come from the WGSL.

import functions from '../../../shaders/elementwise.wgsl?raw';
import mainWgsl from '../../../shaders/common/elementwiseMain.wgsl?raw';
import { defineKernel, type BufferMap, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withPerIndex } from './common';

export const ELEMENTWISE = [
  'reluForward',
  'reluBackward',
  'scale',
  'axpby',
  'scalarAdd',
  'scalarMul',
  'biasAdd',
  'batchNormApply',
  'batchNormEval',
  'batchNormEvalBackward',
  'batchNormBackwardData',
  'globalAvgPoolBackward',
  'clipGradients',
] as const;

export type ElementwiseName = (typeof ELEMENTWISE)[number];

function spec(name: ElementwiseName): KernelSpec {
  const code = withPerIndex(`${functions}\n${mainWgsl}\nfn element(i: u32) -> f32 { return ${name}(i); }\n`);
  return defineKernel({ name, code });
}

export const elementwiseKernels = Object.fromEntries(ELEMENTWISE.map((name) => [name, spec(name)])) as Readonly<
  Record<ElementwiseName, KernelSpec>
>;

/** Uniform fields of shaders/elementwise.wgsl's Params besides n; each kernel must be given
 * the ones its function reads (checked) and the others are zero. */
export interface ElementwiseParams {
  /** out += element instead of out = element. */
  accumulate?: boolean;
  c?: number;
  hw?: number;
  index?: number;
  a?: number;
  b?: number;
  eps?: number;
}

/** out[i] (+)= name(i) for i < n; `buffers` by the names the WGSL function reads, plus out. */
export function elementwise(sink: KernelSink, name: ElementwiseName, buffers: BufferMap, n: number, params: ElementwiseParams = {}): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name}: invalid length ${n}`);
  const kernel = elementwiseKernels[name];
  const values: Record<string, number> = { n, accumulate: params.accumulate ? 1 : 0, c: 0, hw: 0, index: 0, a: 0, b: 0, eps: 0 };
  for (const field of kernel.uniform!.used) {
    if (field === 'n' || field === 'accumulate') continue;
    const v = params[field as keyof ElementwiseParams];
    if (typeof v !== 'number') throw new Error(`${name}: uniform "${field}" is read by the shader but was not given`);
    values[field] = v;
  }
  for (const key of Object.keys(params)) {
    if (key !== 'accumulate' && !kernel.uniform!.used.has(key))
      throw new Error(`${name}: uniform "${key}" was given but the shader does not read it`);
  }
  sink.dispatch({ kernel, buffers, uniforms: values, workgroups: grid1d(n) });
}

/** out = x + y. */
export function add(sink: KernelSink, x: BufferRef, y: BufferRef, out: BufferRef, n: number): void {
  elementwise(sink, 'axpby', { x, y, out }, n, { a: 1, b: 1 });
}

/** out += x (gradient accumulation). */
export function accumulate(sink: KernelSink, x: BufferRef, out: BufferRef, n: number): void {
  elementwise(sink, 'scale', { x, out }, n, { a: 1, accumulate: true });
}
