// Descriptor of shaders/matmulDirect.wgsl: batched C = alpha * op(A) @ op(B) + beta * C,
// each invocation an 8-row x 8-column register block with no workgroup memory (the
// transposes as override constants). The tiled kernel is matmul.ts; which one runs is
// matmul's `variant`.

import code from '../../../shaders/matmulDirect.wgsl?raw';
import type { MatmulParams } from '../../util';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { ceilDiv, grid1d, withPerIndex } from './common';

const WG = 64;

function makeSpec(transA: boolean, transB: boolean): KernelSpec {
  return defineKernel({
    name: `matmulDirect${transA ? 'TA' : ''}${transB ? 'TB' : ''}`,
    code: withPerIndex(code),
    constants: { WG, TRANS_A: transA ? 1 : 0, TRANS_B: transB ? 1 : 0 },
  });
}

/** The 4 transpose combinations. */
export const matmulDirectKernels: readonly KernelSpec[] = [false, true].flatMap((transA) =>
  [false, true].map((transB) => makeSpec(transA, transB)),
);

/** Records the direct kernel for `p` (already checked by the caller). */
export function matmulDirect(sink: KernelSink, a: BufferRef, b: BufferRef, c: BufferRef, p: MatmulParams): void {
  const batch = p.batch ?? 1;
  const cb = ceilDiv(p.n, 8);
  const rb = ceilDiv(p.m, 8);
  const n = batch * rb * cb;
  if (n === 0) return;
  const kernel = matmulDirectKernels[(p.transA ? 2 : 0) + (p.transB ? 1 : 0)];
  sink.dispatch({
    kernel,
    buffers: { a, b, c },
    flops: 2 * batch * p.m * p.n * p.k,
    uniforms: { n, rows: p.m, cols: p.n, depth: p.k, alpha: p.alpha ?? 1, beta: p.beta ?? 0, cb, rb },
    workgroups: grid1d(n, WG),
  });
}
