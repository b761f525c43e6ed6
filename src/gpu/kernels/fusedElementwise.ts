// The element-wise kernel generated for a fused chain: out[i] (+)= e(i) for one
// FusedExpr e (fusedExpr.ts), on the shared element-wise entry point, or 4 elements per
// invocation with vec4 loads and stores where the length (and plane size) allow. One
// pipeline per distinct expression form and width, shared by every chain of that form.

import header from '../../../shaders/common/fusedElementwise.wgsl?raw';
import vec4Header from '../../../shaders/common/fusedElementwiseVec4.wgsl?raw';
import mainWgsl from '../../../shaders/common/elementwiseMain.wgsl?raw';
import { definedKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { grid1d, withPerIndex } from './common';
import { exprPerChannel, genExprWgsl, type FusedExpr } from './fusedExpr';

/** Storage buffers one dispatch may bind: WebGPU's default maxStorageBuffersPerShaderStage. */
export const MAX_STORAGE_BINDINGS = 8;

/** A short name for the expression's form, e.g. relu(bn(x)+bn(x)): the pipeline label. */
export function formOf(e: FusedExpr): string {
  switch (e.op) {
    case 'load':
      return 'x';
    case 'relu':
      return `relu(${formOf(e.a)})`;
    case 'mask':
      return `mask(${formOf(e.g)},${formOf(e.by)})`;
    case 'add':
      return `${formOf(e.a)}+${formOf(e.b)}`;
    case 'mulScalar':
      return `s*(${formOf(e.a)})`;
    case 'addScalar':
      return `(${formOf(e.a)})+s`;
    case 'bn':
      return `bn(${formOf(e.a)})`;
    case 'bnGrad':
      return `bnGrad(${formOf(e.dy)},${formOf(e.x)})`;
  }
}

/** out[i] = e(i), or out[i] += e(i) with `accumulate`, for i < n. `c` and `hw` give the
 * channel of element i (NCHW) when e is per-channel. `out` must not be read by e. */
export function fusedElementwise(
  sink: KernelSink,
  e: FusedExpr,
  out: BufferRef,
  n: number,
  p: { c?: number; hw?: number; accumulate?: boolean } = {},
): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`fusedElementwise: invalid length ${n}`);
  const perChannel = exprPerChannel(e);
  const wide =
    n % 4 === 0 && (!perChannel || (p.hw ?? 0) % 4 === 0) ? genExprWgsl(e, { fnName: 'element', firstBinding: 2, vec4: true }) : undefined;
  const gen = wide ?? genExprWgsl(e, { fnName: 'element', firstBinding: 2 });
  const inputs = Object.keys(gen.buffers).length;
  if (inputs + 1 > MAX_STORAGE_BINDINGS)
    throw new Error(`fusedElementwise: ${formOf(e)} reads ${inputs} buffers; at most ${MAX_STORAGE_BINDINGS - 1}`);
  if (perChannel && !(Number.isInteger(p.c) && Number.isInteger(p.hw) && p.c! > 0 && p.hw! > 0))
    throw new Error(`fusedElementwise: ${formOf(e)} is per-channel and needs c and hw`);
  const kernel = wide
    ? definedKernel({ name: `fused4:${formOf(e)}`, code: withPerIndex(`${vec4Header}\n${gen.wgsl}\n${mainWgsl}`) })
    : definedKernel({ name: `fused:${formOf(e)}`, code: withPerIndex(`${header}\n${gen.wgsl}\n${mainWgsl}`) });
  const items = wide ? n / 4 : n;
  sink.dispatch({
    kernel,
    buffers: { ...gen.buffers, out },
    uniforms: { n: items, accumulate: p.accumulate ? 1 : 0, c: p.c ?? 1, hw: p.hw ?? 1 },
    workgroups: grid1d(items),
  });
}
