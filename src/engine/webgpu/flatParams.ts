// Flat storage for a model's parameters: every parameter tensor is a 256-byte-aligned
// window of one buffer, and so are its gradient and optimizer state. One dispatch then
// updates, measures or checks all parameters at once instead of one per tensor.

import type { GpuContext, BufferRef } from '../../gpu';
import { STORAGE_OFFSET_ALIGN, STORAGE_USAGE } from '../../gpu';
import { numel, type TensorSpec } from '../graph';

/** Floats per storage-buffer offset alignment (64). */
const ALIGN = STORAGE_OFFSET_ALIGN / 4;

export interface FlatLayout {
  offsets: number[];
  lengths: number[];
  /** Total elements including alignment padding. */
  total: number;
  /** Where the tail (the tensors `inTail` picked) starts; total when there is none. */
  tailStart: number;
}

/** Tensors in order, except that those `inTail` picks are placed after all others, so a
 * parameter group is one contiguous (aligned) range. */
export function flatLayout(tensors: readonly TensorSpec[], inTail: (t: TensorSpec) => boolean = () => false): FlatLayout {
  const offsets: number[] = new Array(tensors.length);
  const lengths = tensors.map((t) => numel(t.shape));
  let total = 0;
  const place = (tail: boolean) =>
    tensors.forEach((t, i) => {
      if (inTail(t) !== tail) return;
      offsets[i] = total;
      total += Math.ceil(lengths[i] / ALIGN) * ALIGN;
    });
  place(false);
  const tailStart = total;
  place(true);
  return total === 0 ? { offsets, lengths, total: ALIGN, tailStart: ALIGN } : { offsets, lengths, total, tailStart };
}

/** A flat buffer plus its per-tensor windows. Padding is zero and stays zero. */
export class FlatBuffer {
  readonly buffer: GPUBuffer;

  constructor(
    private readonly ctx: GpuContext,
    readonly layout: FlatLayout,
    label: string,
  ) {
    this.buffer = ctx.pool.acquire(layout.total * 4, STORAGE_USAGE, label);
    const encoder = ctx.device.createCommandEncoder();
    encoder.clearBuffer(this.buffer, 0, layout.total * 4);
    ctx.device.queue.submit([encoder.finish()]);
  }

  window(i: number): { buffer: GPUBuffer; offset: number; size: number } {
    return { buffer: this.buffer, offset: this.layout.offsets[i] * 4, size: this.layout.lengths[i] * 4 };
  }

  get whole(): BufferRef {
    return { buffer: this.buffer, offset: 0, size: this.layout.total * 4 };
  }

  /** Elements [from, to) as one binding (from is a multiple of 64, so aligned). */
  range(from: number, to: number): BufferRef {
    return { buffer: this.buffer, offset: from * 4, size: (to - from) * 4 };
  }

  write(i: number, data: Float32Array): void {
    if (data.length !== this.layout.lengths[i])
      throw new Error(`flat buffer: tensor ${i} needs ${this.layout.lengths[i]} values, got ${data.length}`);
    this.ctx.device.queue.writeBuffer(this.buffer, this.layout.offsets[i] * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** (offset, length) pairs in elements, for segmented reductions. */
  segments(): Uint32Array {
    return Uint32Array.from(this.layout.offsets.flatMap((o, i) => [o, this.layout.lengths[i]]));
  }

  release(): void {
    this.ctx.pool.release(this.buffer);
  }
}
