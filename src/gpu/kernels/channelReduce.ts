// Shared planning for per-channel reductions over NCHW tensors: how the n*h*w values of
// one channel are split into chunks (one workgroup each, partials combined by a second
// pass). Not a kernel itself; it prepends shaders/common/channelReduce.wgsl and chunkPass.wgsl
// (and the tree reduction, common/treeReduce.wgsl).

import helpers from '../../../shaders/common/channelReduce.wgsl?raw';
import chunkPass from '../../../shaders/common/chunkPass.wgsl?raw';
import chunkCombine from '../../../shaders/common/chunkCombine.wgsl?raw';
import applyMain from '../../../shaders/common/channelApplyMain.wgsl?raw';
import { ceilDiv, withCommon, withRowReduce, withTreeReduce } from './common';

/** Threads per workgroup of the chunk passes (WGSL `override WG`; power of two). */
export const CHUNK_WG = 256;
/** Threads per workgroup of the combine passes; chunk counts are usually small. */
export const COMBINE_WG = 64;
/** Values per chunk: 8 per thread, enough work per workgroup to hide load latency while
 * a CIFAR-sized layer (m = 128*32*32) still yields 64 workgroups per channel. */
export const CHUNK_LEN = CHUNK_WG * 8;
const MAX_DIM = 65535;

export interface ChunkPlan {
  /** Values per channel: n*h*w. */
  m: number;
  chunkLen: number;
  chunks: number;
}

export function withChannelReduce(code: string): string {
  return withTreeReduce(`${helpers}\n${code}`);
}

/** For the combine passes: one workgroup per channel folding its chunk partials
 * (shaders/common/chunkCombine.wgsl on common/perRow.wgsl). */
export function withChunkCombine(code: string): string {
  return withRowReduce(`${helpers}\n${chunkCombine}\n${code}`);
}

/** For a combine pass that also applies its per-channel record (channelApply.ts): the
 * combine helpers and the entry point of shaders/common/channelApplyMain.wgsl. */
export function withChunkCombineApply(code: string): string {
  return withTreeReduce(`${helpers}\n${chunkCombine}\n${code}\n${applyMain}`);
}

/** For a barrier-free chunk pass (one invocation per chunk): the helpers, the ChunkParams
 * struct and chunkOf(), without the workgroup tree. */
export function withDirectChunkPass(code: string): string {
  return withCommon(`${helpers}\n${chunkPass}\n${code}`);
}

/** For the chunk passes: also their ChunkParams uniform struct and chunkOf(). */
export function withChunkPass(code: string): string {
  return withChannelReduce(`${chunkPass}\n${code}`);
}

export function planChunks(m: number, chunkLen = CHUNK_LEN): ChunkPlan {
  // Grow chunks rather than exceed the per-dimension workgroup limit on x.
  const len = Math.max(chunkLen, ceilDiv(m, MAX_DIM));
  return { m, chunkLen: len, chunks: Math.max(1, ceilDiv(m, len)) };
}

/** Channels ride on a grid dimension of their own (one workgroup row per channel). */
export function checkChannels(c: number, who: string): void {
  if (!Number.isInteger(c) || c < 1 || c > MAX_DIM) throw new RangeError(`${who}: channel count ${c} must be an integer in 1..${MAX_DIM}`);
}

export function checkDims(who: string, dims: Record<string, number>): void {
  for (const [k, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${who}: ${k} must be a positive integer, got ${v}`);
  }
}
