// Where a step's GPU time goes, measured by the GPU itself: every dispatch of a recorded
// program runs in a compute pass of its own whose start and end are timestamped
// ('timestamp-query'). Nothing here changes what the program computes; the per-kind
// table is engine/webgpu/profile.ts.

import type { DispatchTimer } from './recorder';
import { BufferUsage, MapMode } from './usage';

export interface DispatchTime {
  name: string;
  flops?: number;
  ns: number;
}

/** Times the dispatches of programs encoded with it (`program.encode(encoder, profiler)`),
 * up to `capacity` of them. */
export class DispatchProfiler implements DispatchTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolved: GPUBuffer;
  private readonly readback: GPUBuffer;
  private readonly meta: { name: string; flops?: number }[] = [];

  constructor(
    device: GPUDevice,
    private readonly capacity = 2048,
  ) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * capacity, label: 'profile' });
    const bytes = 16 * capacity;
    this.resolved = device.createBuffer({
      size: bytes,
      usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC,
      label: 'profile:resolved',
    });
    this.readback = device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: 'profile:readback' });
  }

  next(name: string, flops: number | undefined): GPUComputePassTimestampWrites {
    const i = this.meta.length;
    if (i >= this.capacity) throw new Error(`the profile holds ${this.capacity} dispatches; this step has more`);
    this.meta.push({ name, flops });
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** Call once, after the programs, in the same command encoder. */
  resolve(encoder: GPUCommandEncoder): void {
    const n = 2 * this.meta.length;
    if (n === 0) return;
    encoder.resolveQuerySet(this.querySet, 0, n, this.resolved, 0);
    encoder.copyBufferToBuffer(this.resolved, 0, this.readback, 0, 8 * n);
  }

  /** The times, once the submit that holds resolve() has run; frees the GPU objects. */
  async read(): Promise<DispatchTime[]> {
    try {
      if (this.meta.length === 0) return [];
      await this.readback.mapAsync(MapMode.READ, 0, 16 * this.meta.length);
      const t = new BigUint64Array(this.readback.getMappedRange(0, 16 * this.meta.length).slice(0));
      this.readback.unmap();
      // A pass the implementation could not time reads as end < start: counted as 0.
      return this.meta.map((m, i) => ({ ...m, ns: t[2 * i + 1] > t[2 * i] ? Number(t[2 * i + 1] - t[2 * i]) : 0 }));
    } finally {
      this.querySet.destroy();
      this.resolved.destroy();
      this.readback.destroy();
    }
  }
}
