// The per-channel finalize of a train-mode BatchNorm (forward statistics, or the backward's
// sums) and the element-wise kernel that reads its result, as one dispatch: workgroup
// (slice, channel) merges the channel's chunk partials, computes the channel's record in
// registers, and applies the fused expression to its slice of the channel
// (shaders/common/channelApplyMain.wgsl). Every workgroup of a channel computes the same
// record from the same partials in the same order; slice 0 stores the per-channel results
// (saved statistics and running stats, or dgamma / dbeta). One kernel per record kind,
// expression form and width, memoized like the fused element-wise kernels.

import gradRecord from '../../../shaders/common/bnGradRecord.wgsl?raw';
import statsRecord from '../../../shaders/common/bnStatsRecord.wgsl?raw';
import { definedKernel, type BufferRef } from '../kernel';
import { reflectWgsl } from '../wgslReflect';
import type { KernelSink } from '../recorder';
import { ceilDiv } from './common';
import { COMBINE_WG, checkChannels, withChunkCombineApply } from './channelReduce';
import { formOf } from './fusedElementwise';
import { exprBuffers, genExprWgsl, sameWindow, type FusedExpr, type PendingStats } from './fusedExpr';
import { gradRecordBindings, type GradSums } from './batchNormBackwardFinalize';
import { statsRecordBindings } from './batchNormStatsFinalize';

/** The uniforms of the apply half (channelApplyMain.wgsl), after the record's own. */
const APPLY_FIELDS = 'c: u32, plane: u32, items: u32, sliceLen: u32, accumulate: u32';

/** A record's WGSL, its uniform fields, and what its bindings take (from the WGSL): the
 * slots it numbers (the output and the expression come after) and its storage buffers. */
function record(code: string, fields: string) {
  const bindings = reflectWgsl(code).bindings;
  return {
    code,
    fields,
    slots: Math.max(...bindings.map((b) => b.binding)) + 1,
    storage: bindings.filter((b) => b.access !== 'uniform').length,
  };
}

const RECORDS = {
  /** Forward statistics: common/bnStatsRecord.wgsl. */
  stats: record(statsRecord, 'chunks: u32, m: u32, eps: f32, momentum: f32'),
  /** Backward sums: common/bnGradRecord.wgsl. */
  grad: record(gradRecord, 'chunks: u32, m: u32, accGamma: u32'),
};
type RecordKind = keyof typeof RECORDS;

/** Items (vec4s or floats) per workgroup: long enough that re-merging the channel's
 * partials costs little beside the slice, short enough to spread a large channel. */
const SLICE_ITEMS = COMBINE_WG * 64;
const MAX_DIM = 65535;

/** Storage buffers the merged dispatch binds: the record's, the output, the expression's. */
function storageCount(kind: RecordKind, e: FusedExpr, local: BufferRef): number {
  return RECORDS[kind].storage + 1 + exprBuffers(e).filter((b) => !sameWindow(b, local)).length;
}

/** Whether the merged kernel fits the adapter's storage-buffer limit. */
export function channelApplyFits(kind: RecordKind, e: FusedExpr, local: BufferRef, maxStorage: number): boolean {
  return storageCount(kind, e, local) <= maxStorage;
}

interface Layout {
  /** Images, channels, values per plane. */
  n: number;
  c: number;
  hw: number;
  /** out += e rather than out = e. */
  accumulate?: boolean;
}

function channelApply(
  sink: KernelSink,
  kind: RecordKind,
  e: FusedExpr,
  local: BufferRef,
  out: BufferRef,
  s: Layout,
  record: { buffers: Record<string, BufferRef>; uniforms: Record<string, number> },
): void {
  checkChannels(s.c, `${kind}Apply`);
  const r = RECORDS[kind];
  const first = r.slots + 1;
  const opts = { fnName: 'element', firstBinding: first, local: { buf: local, name: 'chanRec' } };
  const wide = s.hw % 4 === 0 ? genExprWgsl(e, { ...opts, vec4: true }) : undefined;
  const gen = wide ?? genExprWgsl(e, opts);
  const type = wide ? 'vec4<f32>' : 'f32';
  const header = `struct Params { ${r.fields}, ${APPLY_FIELDS} }\n@group(0) @binding(${r.slots}) var<storage, read_write> out: array<${type}>;`;
  const kernel = definedKernel({
    name: `${kind}Apply${wide ? '4' : ''}:${formOf(e)}`,
    code: withChunkCombineApply(`${header}\n${r.code}\n${gen.wgsl}`),
    constants: { WG: COMBINE_WG },
  });
  const plane = wide ? s.hw / 4 : s.hw;
  const items = s.n * plane;
  const slices = Math.min(MAX_DIM, ceilDiv(items, SLICE_ITEMS));
  sink.dispatch({
    kernel,
    buffers: { ...record.buffers, out, ...gen.buffers },
    uniforms: { ...record.uniforms, c: s.c, plane, items, sliceLen: ceilDiv(items, slices), accumulate: s.accumulate ? 1 : 0 },
    workgroups: [slices, s.c],
  });
}

/** Finalizes the pending statistics `st` and writes out (+)= e, where e reads st's record
 * (st.coef) only through the record computed in the kernel. */
export function batchNormStatsApply(sink: KernelSink, st: PendingStats, e: FusedExpr, out: BufferRef, s: Layout): void {
  channelApply(sink, 'stats', e, st.coef, out, s, statsRecordBindings(st));
}

/** Stands for the dx record the backward's merged kernel computes (never bound): the
 * record an expression passed to batchNormGradApply reads. */
export const KERNEL_RECORD = Object.freeze({ label: 'batchNorm:dxCoef (in kernel)' }) as unknown as GPUBuffer;

/** The backward's sums finalized into dgamma / dbeta and the dx record (KERNEL_RECORD in
 * e); writes out (+)= e. */
export function batchNormGradApply(sink: KernelSink, g: GradSums, e: FusedExpr, out: BufferRef, s: Layout): void {
  channelApply(sink, 'grad', e, KERNEL_RECORD, out, s, gradRecordBindings(g));
}
