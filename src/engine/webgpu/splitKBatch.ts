// Batches the split-K reductions of a backward pass (the filter gradients of parameter
// weights) into one dispatch: each split-K kernel writes its partial blocks into a window
// of one arena, and flush() sums every block into its gradient with a single
// splitKReduceSegments dispatch reading an uploaded segment table. Only for gradients no
// later backward step reads (parameters' leaves): the sums land at flush, at the end of
// the backward; and only for gradients written once (a weight read by one conv), so no
// kernel reads or adds to them before then and one dispatch never has two writers.

import {
  splitKReduceSegments,
  segmentTable,
  STORAGE_OFFSET_ALIGN,
  windowOf,
  type BufferRef,
  type SplitKCollector,
  type SplitKSegment,
} from '../../gpu';
import type { PlanningSink, VirtualBuffer } from './planningSink';

/** Default arena budget: ResNet-20 at batch 16 needs ~10 MiB. */
const ARENA_BUDGET = 32 * 1024 * 1024;

interface Pending extends SplitKSegment {
  out: GPUBuffer;
}

export class SplitKBatch implements SplitKCollector {
  private arena: VirtualBuffer;
  private used = 0;
  private pending: Pending[] = [];

  /** `budget`: arena bytes past which the pending sums are flushed and a new arena begins,
   * so a deep, wide model does not keep every layer's partials alive at once. */
  constructor(
    private readonly k: PlanningSink,
    private readonly budget = ARENA_BUDGET,
  ) {
    this.arena = this.newArena();
  }

  private newArena(): VirtualBuffer {
    this.used = 0;
    return this.k.virtual(4, 'splitK:partials') as unknown as VirtualBuffer;
  }

  partials(bytes: number): BufferRef {
    if (this.used + bytes > this.budget && this.pending.length > 0) {
      this.flush();
      this.arena = this.newArena();
    }
    const offset = this.used;
    this.used = Math.ceil((offset + bytes) / STORAGE_OFFSET_ALIGN) * STORAGE_OFFSET_ALIGN;
    this.arena.size = Math.max(this.arena.size, offset + bytes);
    return { buffer: this.arena as unknown as GPUBuffer, offset, size: bytes };
  }

  reduce(partials: BufferRef, out: BufferRef, length: number, splits: number, accumulate: boolean): void {
    const p = windowOf(partials);
    const o = windowOf(out);
    if ((p.buffer as unknown) !== this.arena) throw new Error('SplitKBatch: partials must come from this batch');
    const seg: Pending = { from: p.offset / 4, to: o.offset / 4, length, splits, accumulate, out: o.buffer };
    if (this.pending.some((q) => q.out === seg.out && q.to < seg.to + length && seg.to < q.to + q.length))
      throw new Error('SplitKBatch: two pending reductions write one gradient; batch only gradients written once');
    this.pending.push(seg);
  }

  /** Records the pending reductions: one dispatch per output buffer. */
  flush(): void {
    const byOut = new Map<GPUBuffer, Pending[]>();
    for (const s of this.pending) byOut.set(s.out, [...(byOut.get(s.out) ?? []), s]);
    for (const [out, segs] of byOut) {
      const table = this.k.constant(segmentTable(segs), 'splitK:segments');
      splitKReduceSegments(this.k, this.arena as unknown as GPUBuffer, out, table, segs);
    }
    this.pending = [];
  }
}
