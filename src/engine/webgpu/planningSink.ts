// A KernelSink that records dispatches against virtual buffers instead of real ones.
// Kernel descriptors run unchanged; the planner later gives each virtual buffer a
// physical one, reusing memory between buffers whose lifetimes do not overlap.

import { windowOf, type BufferRef, type Dispatch } from '../../gpu';
import type { KernelSink, VariantChooser } from '../../gpu';

/** Stands in for a GPUBuffer until planning; kernels only pass it through. `size` may
 * grow until planning (an arena handed out in windows); with `init`, the buffer holds
 * those words from the start and gets memory of its own (a constant table). */
export class VirtualBuffer {
  constructor(
    readonly id: number,
    public size: number,
    readonly label: string,
    readonly init?: Uint32Array,
  ) {}
}

export type PlannedItem =
  | { kind: 'dispatch'; d: Dispatch; label?: string }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number }
  | { kind: 'clear'; buffer: GPUBuffer; offset: number; size?: number };

export class PlanningSink implements KernelSink {
  readonly items: PlannedItem[] = [];
  readonly virtuals: VirtualBuffer[] = [];
  /** Attached to the dispatches recorded from now on (the graph op recording them). */
  label?: string;

  constructor(readonly tuner?: VariantChooser) {}

  /** A virtual buffer of `bytes` bytes, typed as GPUBuffer for the kernel API. */
  virtual(bytes: number, label: string): GPUBuffer {
    const v = new VirtualBuffer(this.virtuals.length, Math.max(4, bytes), label);
    this.virtuals.push(v);
    return v as unknown as GPUBuffer;
  }

  scratch(bytes: number, label = 'scratch'): GPUBuffer {
    return this.virtual(bytes, label);
  }

  /** A read-only table uploaded when the program is realized, owned by the program. */
  constant(words: Uint32Array, label: string): GPUBuffer {
    const v = new VirtualBuffer(this.virtuals.length, Math.max(4, words.byteLength), label, words);
    this.virtuals.push(v);
    return v as unknown as GPUBuffer;
  }

  dispatch(d: Dispatch): void {
    this.items.push({ kind: 'dispatch', d, label: this.label });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.items.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  clear(buffer: GPUBuffer, offset = 0, size?: number): void {
    this.items.push({ kind: 'clear', buffer, offset, size });
  }
}

export function asVirtual(b: unknown): VirtualBuffer | undefined {
  return b instanceof VirtualBuffer ? b : undefined;
}

/** The buffers an item touches (virtual or real). */
export function itemBuffers(item: PlannedItem): unknown[] {
  if (item.kind === 'dispatch') return Object.values(item.d.buffers).map((r) => windowOf(r).buffer);
  if (item.kind === 'copy') return [item.src, item.dst];
  return [item.buffer];
}

export function substitute(ref: BufferRef, map: (v: VirtualBuffer) => GPUBuffer): BufferRef {
  const r = ref as unknown;
  if (r instanceof VirtualBuffer) return map(r);
  const w = ref as { buffer: unknown; offset?: number; size?: number };
  if (w.buffer instanceof VirtualBuffer) return { buffer: map(w.buffer), offset: w.offset, size: w.size };
  return ref;
}
