// Float32 storage buffers a GPU helper (Jacobian, activation probe) takes from the pool
// for its lifetime and hands back all at once. Not for the training hot path, whose
// buffers the compiler plans.

import type { BufferPool } from '../../gpu';
import { STORAGE_USAGE } from '../../gpu';

export class OwnedBuffers {
  private readonly owned: GPUBuffer[] = [];

  constructor(private readonly pool: BufferPool) {}

  /** A buffer of `elements` float32 values (at least one). */
  alloc(elements: number, label: string): GPUBuffer {
    const b = this.pool.acquire(Math.max(1, elements) * 4, STORAGE_USAGE, label);
    this.owned.push(b);
    return b;
  }

  releaseAll(): void {
    for (const b of this.owned) this.pool.release(b);
    this.owned.length = 0;
  }
}
