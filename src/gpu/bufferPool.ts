// Buffer pool keyed by (usage, size class) with byte accounting: bytes allocated on
// the device vs bytes handed out. Release is explicit; nothing is garbage collected.

import { sizeClass } from './sizeClass';
import { STORAGE_USAGE } from './usage';

export interface PoolStats {
  allocatedBytes: number;
  inUseBytes: number;
  allocatedBuffers: number;
  inUseBuffers: number;
  peakInUseBytes: number;
}

interface Entry {
  key: string;
  bytes: number;
  inUse: boolean;
  label: string;
}

export class BufferPool {
  private free = new Map<string, GPUBuffer[]>();
  private entries = new Map<GPUBuffer, Entry>();
  private stats: PoolStats = { allocatedBytes: 0, inUseBytes: 0, allocatedBuffers: 0, inUseBuffers: 0, peakInUseBytes: 0 };

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of at least `bytes` bytes; its real size is its size class. */
  acquire(bytes: number, usage: number = STORAGE_USAGE, label = 'pooled'): GPUBuffer {
    const size = sizeClass(bytes);
    const key = `${usage}:${size}`;
    let buffer = this.free.get(key)?.pop();
    if (!buffer) {
      buffer = this.device.createBuffer({ size, usage, label });
      this.entries.set(buffer, { key, bytes: size, inUse: false, label });
      this.stats.allocatedBytes += size;
      this.stats.allocatedBuffers += 1;
    }
    const entry = this.entries.get(buffer)!;
    entry.inUse = true;
    entry.label = label;
    this.stats.inUseBytes += size;
    this.stats.inUseBuffers += 1;
    this.stats.peakInUseBytes = Math.max(this.stats.peakInUseBytes, this.stats.inUseBytes);
    return buffer;
  }

  /** Returns a buffer to the pool. Work already submitted that uses it stays valid:
   * the queue orders any later write after it. */
  release(buffer: GPUBuffer): void {
    const entry = this.entries.get(buffer);
    if (!entry) throw new Error(`BufferPool.release: buffer "${buffer.label}" does not belong to this pool`);
    if (!entry.inUse) throw new Error(`BufferPool.release: buffer "${entry.label}" released twice`);
    entry.inUse = false;
    this.stats.inUseBytes -= entry.bytes;
    this.stats.inUseBuffers -= 1;
    const list = this.free.get(entry.key) ?? [];
    list.push(buffer);
    this.free.set(entry.key, list);
  }

  /** Labels and sizes of the buffers handed out, for leak reports. */
  inUse(): { label: string; bytes: number }[] {
    return [...this.entries.values()].filter((e) => e.inUse).map((e) => ({ label: e.label, bytes: e.bytes }));
  }

  getStats(): Readonly<PoolStats> {
    return { ...this.stats };
  }

  /** Destroys every free buffer (device memory goes back to the driver). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) this.forget(b);
    }
    this.free.clear();
  }

  destroy(): void {
    for (const b of [...this.entries.keys()]) this.forget(b);
    this.free.clear();
  }

  private forget(buffer: GPUBuffer): void {
    const entry = this.entries.get(buffer);
    if (!entry) return;
    if (entry.inUse) {
      this.stats.inUseBytes -= entry.bytes;
      this.stats.inUseBuffers -= 1;
    }
    this.stats.allocatedBytes -= entry.bytes;
    this.stats.allocatedBuffers -= 1;
    this.entries.delete(buffer);
    buffer.destroy();
  }
}
