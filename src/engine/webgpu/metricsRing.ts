// Per-step metrics written by the step program into small buffers, copied each step
// into a ring of slots, and read back in batches a step or more later: no CPU
// readback sits in the training hot path.

import type { GpuContext } from '../../gpu';
import { readRanges, BufferUsage, STORAGE_USAGE } from '../../gpu';
import type { StepMetrics } from '../optimizer';

/** Layout of the scalar block: loss (f32), correct (u32), grad-norm squared (f32),
 * count of non-finite parameter values (u32). */
export const SCALARS = { loss: 0, correct: 1, gradNormSq: 2, nonFinite: 3 } as const;

export class MetricsRing {
  readonly scalars: GPUBuffer;
  readonly gradSq: GPUBuffer;
  private readonly ring: GPUBuffer;
  private readonly slotWords: number;
  private pending: { step: number; slot: number }[] = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly params: number,
    private readonly batchSize: number,
    readonly capacity = 256,
  ) {
    this.scalars = ctx.pool.acquire(16, STORAGE_USAGE, 'metrics:scalars');
    this.gradSq = ctx.pool.acquire(Math.max(1, params) * 4, STORAGE_USAGE, 'metrics:gradSq');
    this.slotWords = 4 + params;
    this.ring = ctx.pool.acquire(this.slotWords * 4 * capacity, BufferUsage.COPY_SRC | BufferUsage.COPY_DST, 'metrics:ring');
  }

  get unread(): number {
    return this.pending.length;
  }

  /** Appends the copies of this step's metrics into its ring slot to `encoder`. */
  capture(encoder: GPUCommandEncoder, step: number): void {
    if (this.pending.length >= this.capacity) throw new Error('metrics ring full: read metrics at least every `capacity` steps');
    const slot = step % this.capacity;
    const base = slot * this.slotWords * 4;
    const p = this.params * 4;
    encoder.copyBufferToBuffer(this.scalars, 0, this.ring, base, 16);
    if (p > 0) encoder.copyBufferToBuffer(this.gradSq, 0, this.ring, base + 16, p);
    this.pending.push({ step, slot });
  }

  /** Reads every captured step not read yet, in one readback. */
  async drain(): Promise<StepMetrics[]> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return [];
    const bytes = this.slotWords * 4;
    const data = await readRanges(
      this.ctx,
      batch.map(({ slot }) => ({ buffer: this.ring, offset: slot * bytes, bytes })),
    );
    return batch.map(({ step }, i) => {
      const f = new Float32Array(data[i]);
      const u = new Uint32Array(data[i]);
      const gradSq = f.slice(4, 4 + this.params);
      return {
        step,
        loss: f[SCALARS.loss],
        correct: u[SCALARS.correct],
        batchSize: this.batchSize,
        gradNorm: Math.sqrt(f[SCALARS.gradNormSq]),
        paramGradNorms: gradSq.map(Math.sqrt),
        nonFiniteValues: u[SCALARS.nonFinite],
      };
    });
  }

  destroy(): void {
    for (const b of [this.scalars, this.gradSq, this.ring]) this.ctx.pool.release(b);
  }
}
