// Descriptor of shaders/matmul.wgsl: batched C = alpha * op(A) @ op(B) + beta * C, with
// the transposes as override constants and vec4 loads (matmulVec4.wgsl instead of
// matmulScalar.wgsl) picked when the layout allows. Plans the grid (tiles in x/y, batches in z) within the per-dimension limit.

import code from '../../../shaders/matmul.wgsl?raw';
import scalarCode from '../../../shaders/matmulScalar.wgsl?raw';
import vec4Code from '../../../shaders/matmulVec4.wgsl?raw';
import { defineKernel, type BufferRef, type Dispatch, type KernelSpec } from '../kernel';
import type { KernelSink } from '../recorder';
import { pickVariant, type TunableOp } from '../tuner';
import { matmulDirect } from './matmulDirect';
import { ceilDiv } from './common';
import type { MatmulParams } from '../../util';

export type { MatmulParams };

/** Output tile of one workgroup (4 x the shader's default WG_Y / WG_X). */
export const MATMUL_TILE = { m: 64, n: 64 } as const;
const MAX_PER_DIM = 65535;

function makeSpec(transA: boolean, transB: boolean, vec4: boolean): KernelSpec {
  return defineKernel({
    name: `matmul${vec4 ? 'Vec4' : ''}${transA ? 'TA' : ''}${transB ? 'TB' : ''}`,
    code: `${code}\n${vec4 ? vec4Code : scalarCode}`,
    constants: { TRANS_A: transA ? 1 : 0, TRANS_B: transB ? 1 : 0 },
  });
}

/** All 8 variants (transA x transB x vec4). */
export const matmulKernels: readonly KernelSpec[] = [false, true].flatMap((vec4) =>
  [false, true].flatMap((transA) => [false, true].map((transB) => makeSpec(transA, transB, vec4))),
);

function matmulKernel(transA: boolean, transB: boolean, vec4: boolean): KernelSpec {
  return matmulKernels[(vec4 ? 4 : 0) + (transA ? 2 : 0) + (transB ? 1 : 0)];
}

/** vec4 needs every stored row (A, B and C) to be a whole number of vec4s. */
export function matmulCanVec4(p: MatmulParams): boolean {
  const rowA = p.transA ? p.m : p.k;
  const rowB = p.transB ? p.k : p.n;
  return rowA % 4 === 0 && rowB % 4 === 0 && p.n % 4 === 0;
}

export interface MatmulPlanOptions {
  /** Workgroups per grid dimension (lowered in tests to exercise the split). */
  maxPerDim?: number;
  /** false forces the scalar path (tests). */
  allowVec4?: boolean;
}

function checkParams(p: MatmulParams): void {
  for (const [key, v] of [
    ['m', p.m],
    ['n', p.n],
    ['k', p.k],
    ['batch', p.batch ?? 1],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`matmul: ${key} must be a non-negative integer, got ${v}`);
  }
  const elems = (p.batch ?? 1) * Math.max(p.m * p.k, p.k * p.n, p.m * p.n);
  if (elems > 0xffffffff) throw new RangeError('matmul: operands exceed 2^32 elements (u32 indexing)');
}

/** The dispatches of one matmul: the grid is cut into chunks of at most maxPerDim groups. */
export function matmulDispatches(a: BufferRef, b: BufferRef, c: BufferRef, p: MatmulParams, opts: MatmulPlanOptions = {}): Dispatch[] {
  checkParams(p);
  const max = opts.maxPerDim ?? MAX_PER_DIM;
  const vec4 = (opts.allowVec4 ?? true) && matmulCanVec4(p);
  const kernel = matmulKernel(!!p.transA, !!p.transB, vec4);
  const cols = ceilDiv(p.n, MATMUL_TILE.n);
  const rows = ceilDiv(p.m, MATMUL_TILE.m);
  const batch = p.batch ?? 1;
  const out: Dispatch[] = [];
  for (let z = 0; z < batch; z += max) {
    for (let y = 0; y < rows; y += max) {
      for (let x = 0; x < cols; x += max) {
        out.push({
          kernel,
          buffers: { a, b, c },
          // The block of C this dispatch covers, times k multiply-adds per element.
          flops:
            2 *
            p.k *
            (Math.min(p.m, (y + max) * MATMUL_TILE.m) - y * MATMUL_TILE.m) *
            (Math.min(p.n, (x + max) * MATMUL_TILE.n) - x * MATMUL_TILE.n) *
            (Math.min(batch, z + max) - z),
          uniforms: {
            m: p.m,
            n: p.n,
            k: p.k,
            alpha: p.alpha ?? 1,
            beta: p.beta ?? 0,
            rowTile0: y,
            colTile0: x,
            batch0: z,
          },
          workgroups: [Math.min(max, cols - x), Math.min(max, rows - y), Math.min(max, batch - z)],
        });
      }
    }
  }
  return out;
}

/** The kernels a matmul can run as: the tiled kernel (workgroup-memory tiles, suits real
 * GPUs) or the barrier-free direct one (matmulDirect.ts, far faster on software rasterisers). */
export const MATMUL_VARIANTS = ['tiled', 'direct'] as const;
export type MatmulVariant = (typeof MATMUL_VARIANTS)[number];

/** matmul with `p` as the tuner times it (buffers a, b, c). */
export function matmulOp(p: MatmulParams): TunableOp {
  const batch = p.batch ?? 1;
  return {
    kind: 'matmul',
    shape: `${batch}x ${p.m}x${p.k} @ ${p.k}x${p.n}${p.transA ? ' TA' : ''}${p.transB ? ' TB' : ''}${p.beta ? ' beta' : ''}`,
    variants: MATMUL_VARIANTS,
    default: 'tiled',
    softwareDefault: 'direct',
    buffers: [4 * batch * p.m * p.k, 4 * batch * p.k * p.n, 4 * batch * p.m * p.n],
    record: (sink, [a, b, c], v) => matmul(sink, a, b, c, p, { variant: v as MatmulVariant }),
  };
}

/** C[bt] = alpha * op(A[bt]) @ op(B[bt]) + beta * C[bt] for bt < batch (row-major f32), with
 * the given variant, else the sink's tuner's pick, else the tiled kernel. */
export function matmul(
  sink: KernelSink,
  a: BufferRef,
  b: BufferRef,
  c: BufferRef,
  p: MatmulParams,
  opts: { variant?: MatmulVariant } = {},
): void {
  checkParams(p);
  if (pickVariant(sink, () => matmulOp(p), opts.variant) === 'direct') {
    matmulDirect(sink, a, b, c, p);
    return;
  }
  for (const d of matmulDispatches(a, b, c, p)) sink.dispatch(d);
}
