// Descriptor of shaders/batchNormBackwardReduce.wgsl: per-(chunk, channel) sums of dy and
// dy*xhat, pass 1 of the batch-norm backward. dy is a buffer, or a fused element-wise
// expression (fusedExpr.ts) evaluated as it is read, so e.g. a ReLU's backward mask costs
// no dispatch of its own.

import code from '../../../shaders/batchNormBackwardReduce.wgsl?raw';
import gradLoad from '../../../shaders/common/gradLoad.wgsl?raw';
import { defineKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { CHUNK_WG, withChunkPass, type ChunkPlan } from './channelReduce';
import { exprPerChannel, genExprWgsl, type FusedExpr } from './fusedExpr';
import { MAX_STORAGE_BINDINGS } from './fusedElementwise';

export const batchNormBackwardReduceKernel = defineKernel({
  name: 'batchNormBackwardReduce',
  code: withChunkPass(`${gradLoad}\n${code}`),
  constants: { WG: CHUNK_WG },
});

/** Buffers the kernel binds besides dy's (x, mean, invStd, partials). */
const OWN_BINDINGS = 4;
/** The most buffers a fused dy expression may read. */
export const BN_REDUCE_MAX_DY_BUFFERS = MAX_STORAGE_BINDINGS - OWN_BINDINGS;

const fused = new Map<string, KernelSpec>();

/** `partials` holds c*chunks*2 floats; `dy` a buffer or a fused expression of x's shape
 * (it must not be per-channel). */
export function batchNormBackwardReduce(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef | FusedExpr,
  mean: BufferRef,
  invStd: BufferRef,
  partials: BufferRef,
  p: { c: number; hw: number; plan: ChunkPlan },
): void {
  const { m, chunkLen, chunks } = p.plan;
  let kernel = batchNormBackwardReduceKernel;
  let dyBuffers: Record<string, BufferRef> = { dy: dy as BufferRef };
  if (isExpr(dy)) {
    if (exprPerChannel(dy)) throw new Error('batchNormBackwardReduce: a fused dy must not be per-channel');
    const gen = genExprWgsl(dy, 'dyAt', 6, 'g');
    if (Object.keys(gen.buffers).length > BN_REDUCE_MAX_DY_BUFFERS)
      throw new Error(`batchNormBackwardReduce: a fused dy may read at most ${BN_REDUCE_MAX_DY_BUFFERS} buffers`);
    const full = withChunkPass(`${gen.wgsl}\n${code}`);
    let spec = fused.get(full);
    if (!spec) {
      spec = defineKernel({ name: 'batchNormBackwardReduce(fused dy)', code: full, constants: { WG: CHUNK_WG } });
      fused.set(full, spec);
    }
    kernel = spec;
    dyBuffers = gen.buffers;
  }
  sink.dispatch({
    kernel,
    buffers: { x, ...dyBuffers, mean, invStd, partials },
    uniforms: { c: p.c, hw: p.hw, m, chunkLen, chunks },
    workgroups: [chunks, p.c],
  });
}

export function isExpr(v: BufferRef | FusedExpr): v is FusedExpr {
  return typeof (v as { op?: unknown }).op === 'string';
}
