// Descriptor of shaders/batchNormBackwardReduce.wgsl: per-(chunk, channel) sums of dy and
// dy*xhat, pass 1 of the batch-norm backward. dy is a buffer, or a fused element-wise
// expression (fusedExpr.ts) evaluated as it is read, so e.g. a ReLU's backward mask costs
// no dispatch of its own.

import code from '../../../shaders/batchNormBackwardReduce.wgsl?raw';
import directCode from '../../../shaders/batchNormBackwardReduceDirect.wgsl?raw';
import gradLoad from '../../../shaders/common/gradLoad.wgsl?raw';
import bindings from '../../../shaders/common/bnReduceBindings.wgsl?raw';
import { definedKernel, type BufferRef, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { CHUNK_WG, planChunks, withChunkPass, withDirectChunkPass, type ChunkPlan } from './channelReduce';
import { grid1d } from './common';
import { pickVariant, type TunableOp } from '../tuner';
import { exprPerChannel, genExprWgsl, type FusedExpr } from './fusedExpr';
import { MAX_STORAGE_BINDINGS } from './fusedElementwise';

/** The pass's variants: a workgroup tree per chunk (real GPUs), or one invocation per
 * short chunk (batchNormBackwardReduceDirect.wgsl: no barriers, for software rasterisers). */
export const BN_REDUCE_VARIANTS = ['tree', 'direct'] as const;
export type BnReduceVariant = (typeof BN_REDUCE_VARIANTS)[number];

/** Values per chunk of the direct variant, and its invocations per workgroup. */
const BN_DIRECT_CHUNK_LEN = 64;
const DIRECT_WG = 64;

/** Each variant's main shader, workgroup size and shared helpers. */
const MAINS: Record<BnReduceVariant, { name: string; code: string; wg: number; wrap: (code: string) => string }> = {
  tree: { name: 'batchNormBackwardReduce', code, wg: CHUNK_WG, wrap: withChunkPass },
  direct: { name: 'batchNormBackwardReduceDirect', code: directCode, wg: DIRECT_WG, wrap: withDirectChunkPass },
};

/** The variant's kernel with dy read by `dyWgsl` (a `fn dyAt`). */
function reduceKernel(variant: BnReduceVariant, dyWgsl: string, name = MAINS[variant].name): KernelSpec {
  const main = MAINS[variant];
  return definedKernel({ name, code: main.wrap(`${dyWgsl}\n${bindings}\n${main.code}`), constants: { WG: main.wg } });
}

/** The kernels with dy a plain buffer (common/gradLoad.wgsl). */
export const batchNormBackwardReduceKernels = Object.fromEntries(BN_REDUCE_VARIANTS.map((v) => [v, reduceKernel(v, gradLoad)])) as Record<
  BnReduceVariant,
  KernelSpec
>;

/** How the variant splits each channel's m values into chunks. */
export function bnReducePlan(m: number, variant: BnReduceVariant): ChunkPlan {
  return variant === 'direct' ? planChunks(m, BN_DIRECT_CHUNK_LEN) : planChunks(m);
}

/** The pass over c channels of m values (planes of hw) as the tuner times it, with a plain
 * dy (buffers x, dy, the forward's record, partials). */
export function batchNormBackwardReduceOp(c: number, hw: number, m: number): TunableOp {
  const most = Math.max(...BN_REDUCE_VARIANTS.map((v) => bnReducePlan(m, v).chunks));
  return {
    kind: 'batchNormBackwardReduce',
    shape: `c${c} m${m} hw${hw}`,
    variants: BN_REDUCE_VARIANTS,
    default: 'tree',
    softwareDefault: 'direct',
    buffers: [4 * c * m, 4 * c * m, 16 * c, 8 * c * most],
    record: (sink, [x, dy, fwd, partials], v) =>
      batchNormBackwardReduce(sink, x, dy, fwd, partials, { c, hw, plan: bnReducePlan(m, v as BnReduceVariant) }, v as BnReduceVariant),
  };
}

/** The variant for c channels of m values: forced, else the sink's tuner's pick, else the tree. */
export function pickBnReduce(sink: KernelSink, c: number, hw: number, m: number, forced?: BnReduceVariant): BnReduceVariant {
  return pickVariant(sink, () => batchNormBackwardReduceOp(c, hw, m), forced) as BnReduceVariant;
}

/** Buffers the kernel binds besides dy's (x, fwd, partials). */
const OWN_BINDINGS = 3;
/** The most buffers a fused dy expression may read. */
export const BN_REDUCE_MAX_DY_BUFFERS = MAX_STORAGE_BINDINGS - OWN_BINDINGS;

/** `partials` holds c*chunks*2 floats; `dy` a buffer or a fused expression of x's shape
 * (it must not be per-channel). */
export function batchNormBackwardReduce(
  sink: KernelSink,
  x: BufferRef,
  dy: BufferRef | FusedExpr,
  fwd: BufferRef,
  partials: BufferRef,
  p: { c: number; hw: number; plan: ChunkPlan },
  variant: BnReduceVariant = 'tree',
): void {
  const { m, chunkLen, chunks } = p.plan;
  let kernel = batchNormBackwardReduceKernels[variant];
  let dyBuffers: Record<string, BufferRef> = { dy: dy as BufferRef };
  if (isExpr(dy)) {
    if (exprPerChannel(dy)) throw new Error('batchNormBackwardReduce: a fused dy must not be per-channel');
    const gen = genExprWgsl(dy, { fnName: 'dyAt', firstBinding: 6, prefix: 'g' });
    if (Object.keys(gen.buffers).length > BN_REDUCE_MAX_DY_BUFFERS)
      throw new Error(`batchNormBackwardReduce: a fused dy may read at most ${BN_REDUCE_MAX_DY_BUFFERS} buffers`);
    kernel = reduceKernel(variant, gen.wgsl, `${kernel.name}(fused dy)`);
    dyBuffers = gen.buffers;
  }
  sink.dispatch({
    kernel,
    buffers: { x, ...dyBuffers, fwd, partials },
    uniforms: { c: p.c, hw: p.hw, m, chunkLen, chunks },
    workgroups: variant === 'direct' ? grid1d(p.c * chunks, DIRECT_WG) : [chunks, p.c],
  });
}

export function isExpr(v: BufferRef | FusedExpr): v is FusedExpr {
  return typeof (v as { op?: unknown }).op === 'string';
}
