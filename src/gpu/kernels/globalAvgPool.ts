// Global average pooling over NCHW: forward (x [n, c, h, w] -> y [n, c], the mean of each
// spatial plane; a workgroup tree per plane, shaders/globalAvgPoolForward.wgsl, or one
// invocation per plane, shaders/globalAvgPoolDirect.wgsl, chosen per adapter) and backward
// (the element-wise globalAvgPoolBackward, each plane filled with dy / (h*w)).

import code from '../../../shaders/globalAvgPoolForward.wgsl?raw';
import directCode from '../../../shaders/globalAvgPoolDirect.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkDims } from './channelReduce';
import { grid1d, withPerIndex, withRowReduce } from './common';
import { pickVariant, type TunableOp } from '../tuner';
import { elementwise } from './elementwise';

/** Threads per row: a typical final feature map is 8x8 = 64 values. */
export const POOL_WG = 64;

export const globalAvgPoolForwardKernel = defineKernel({
  name: 'globalAvgPoolForward',
  code: withRowReduce(code),
  constants: { WG: POOL_WG },
});

const DIRECT_WG = 64;

export const globalAvgPoolDirectKernel = defineKernel({
  name: 'globalAvgPoolDirect',
  code: withPerIndex(directCode),
  constants: { WG: DIRECT_WG },
});

/** The forward's variants: a workgroup tree per plane, or one invocation per plane. */
export const POOL_VARIANTS = ['tree', 'direct'] as const;
export type PoolVariant = (typeof POOL_VARIANTS)[number];

/** The forward at `p` as the tuner times it (buffers x, y). */
export function globalAvgPoolOp(p: PoolShape): TunableOp {
  return {
    kind: 'globalAvgPoolForward',
    shape: `n${p.n} c${p.c} ${p.h}x${p.w}`,
    variants: POOL_VARIANTS,
    default: 'tree',
    softwareDefault: 'direct',
    buffers: [4 * p.n * p.c * p.h * p.w, 4 * p.n * p.c],
    record: (sink, [x, y], v) => globalAvgPoolForward(sink, x, y, p, { variant: v as PoolVariant }),
  };
}

export interface PoolShape {
  n: number;
  c: number;
  h: number;
  w: number;
}

/** y = the mean of each of x's planes, with the given variant, else the sink's tuner's pick,
 * else the tree. */
export function globalAvgPoolForward(
  sink: KernelSink,
  x: BufferRef,
  y: BufferRef,
  p: PoolShape,
  opts: { variant?: PoolVariant } = {},
): void {
  checkDims('globalAvgPoolForward', { ...p });
  const rows = p.n * p.c;
  const direct = pickVariant(sink, () => globalAvgPoolOp(p), opts.variant) === 'direct';
  sink.dispatch({
    kernel: direct ? globalAvgPoolDirectKernel : globalAvgPoolForwardKernel,
    buffers: { x, y },
    uniforms: { n: rows, hw: p.h * p.w },
    workgroups: direct ? grid1d(rows, DIRECT_WG) : grid1d(rows, 1),
  });
}

/** dx (+)= dy / (h*w) broadcast over each plane. */
export function globalAvgPoolBackward(sink: KernelSink, dy: BufferRef, dx: BufferRef, p: PoolShape, accumulate = false): void {
  checkDims('globalAvgPoolBackward', { ...p });
  elementwise(sink, 'globalAvgPoolBackward', { dy, out: dx }, p.n * p.c * p.h * p.w, { hw: p.h * p.w, accumulate });
}
