// Asynchronous readback: many buffer ranges copied into one staging buffer, one submit,
// one mapAsync. Never called inside a training step; metrics are read a step or more late.

import type { BufferPool } from './bufferPool';
import { BufferUsage, MapMode, STORAGE_USAGE } from './usage';

export interface ReadRange {
  buffer: GPUBuffer;
  /** Byte offset, multiple of 4. */
  offset?: number;
  /** Byte length, multiple of 4. */
  bytes: number;
}

interface Ctx {
  device: GPUDevice;
  pool: BufferPool;
}

export async function readRanges(ctx: Ctx, ranges: readonly ReadRange[]): Promise<ArrayBuffer[]> {
  const starts: number[] = [];
  let total = 0;
  for (const r of ranges) {
    if ((r.offset ?? 0) % 4 || r.bytes % 4) throw new Error('readRanges: offsets and lengths must be multiples of 4');
    starts.push(total);
    total += Math.ceil(r.bytes / 256) * 256;
  }
  if (total === 0) return ranges.map(() => new ArrayBuffer(0));
  const staging = ctx.pool.acquire(total, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'readback');
  try {
    const encoder = ctx.device.createCommandEncoder({ label: 'readback' });
    ranges.forEach((r, i) => encoder.copyBufferToBuffer(r.buffer, r.offset ?? 0, staging, starts[i], r.bytes));
    ctx.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MapMode.READ, 0, total);
    const mapped = staging.getMappedRange(0, total);
    const out = ranges.map((r, i) => mapped.slice(starts[i], starts[i] + r.bytes));
    staging.unmap();
    return out;
  } finally {
    ctx.pool.release(staging);
  }
}

export async function readFloat32(ctx: Ctx, buffer: GPUBuffer, length: number, offsetElems = 0): Promise<Float32Array> {
  const [ab] = await readRanges(ctx, [{ buffer, offset: offsetElems * 4, bytes: length * 4 }]);
  return new Float32Array(ab);
}

export async function readUint32(ctx: Ctx, buffer: GPUBuffer, length: number, offsetElems = 0): Promise<Uint32Array> {
  const [ab] = await readRanges(ctx, [{ buffer, offset: offsetElems * 4, bytes: length * 4 }]);
  return new Uint32Array(ab);
}

/** A pooled storage buffer holding `data` (32-bit elements). Release it to the pool. */
export function uploadArray(ctx: Ctx, data: Float32Array | Uint32Array | Int32Array, label = 'upload'): GPUBuffer {
  const buffer = ctx.pool.acquire(Math.max(4, data.byteLength), STORAGE_USAGE, label);
  if (data.byteLength > 0) ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}
