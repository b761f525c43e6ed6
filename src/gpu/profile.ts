// Where a step's GPU time goes, measured by the GPU itself: every dispatch of a recorded
// program runs in a compute pass of its own whose start and end are timestamped
// ('timestamp-query'), and the times are summed per kernel kind (time, share of the
// step, dispatches, GFLOP/s for GEMMs and convolutions). Adapters without timestamp
// queries get a clear error; nothing here changes what the program computes.

import type { DispatchTimer, RecordedProgram } from './recorder';
import { BufferUsage, MapMode } from './usage';

export interface DispatchTime {
  name: string;
  flops?: number;
  ns: number;
}

/** One row of the profile: a kernel kind over one step. */
export interface KernelKindTime {
  kind: string;
  dispatches: number;
  ms: number;
  /** Of the summed dispatch time of the step, 0..1. */
  share: number;
  /** Where the kind's dispatches report FLOPs. */
  gflops?: number;
}

const PROFILE_FEATURE = 'timestamp-query';

export function profileProblem(features: ReadonlySet<string>): string | undefined {
  return features.has(PROFILE_FEATURE)
    ? undefined
    : "this GPU adapter does not offer timestamp queries ('timestamp-query'), which the profile needs; in Chrome, chrome://flags 'WebGPU Developer Features' turns them on";
}

/** Times the dispatches of programs encoded through it, up to `capacity` of them. */
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

  encode(program: RecordedProgram, encoder: GPUCommandEncoder): void {
    program.encode(encoder, this);
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

/** `conv2dForward(TM=32)` -> `conv2dForward`: variants of one kernel are one kind. */
const kernelKind = (name: string): string => name.replace(/\(.*\)$/, '');

/** Sums dispatch times per kernel kind, longest first. */
export function byKernelKind(times: readonly DispatchTime[]): KernelKindTime[] {
  const total = times.reduce((s, t) => s + t.ns, 0);
  const kinds = new Map<string, { dispatches: number; ns: number; flops: number; counted: boolean }>();
  for (const t of times) {
    const k = kinds.get(kernelKind(t.name)) ?? { dispatches: 0, ns: 0, flops: 0, counted: false };
    k.dispatches += 1;
    k.ns += t.ns;
    if (t.flops !== undefined) {
      k.flops += t.flops;
      k.counted = true;
    }
    kinds.set(kernelKind(t.name), k);
  }
  return [...kinds]
    .map(([kind, k]) => ({
      kind,
      dispatches: k.dispatches,
      ms: k.ns / 1e6,
      share: total > 0 ? k.ns / total : 0,
      ...(k.counted && k.ns > 0 ? { gflops: k.flops / k.ns } : {}),
    }))
    .sort((a, b) => b.ms - a.ms || a.kind.localeCompare(b.kind));
}

export const PROFILE_CSV_COLUMNS = ['kernel', 'dispatches', 'ms', 'share', 'gflops'] as const;

/** One kind's cells, in PROFILE_CSV_COLUMNS order. */
export const profileCells = (r: KernelKindTime): string[] => [
  r.kind,
  String(r.dispatches),
  r.ms.toPrecision(6),
  r.share.toFixed(4),
  r.gflops?.toPrecision(4) ?? '',
];

/** The profile as CSV, one row per kernel kind (the bench's --detail; the lab adds its run). */
export function profileCsv(rows: readonly KernelKindTime[]): string {
  return `${[PROFILE_CSV_COLUMNS.join(','), ...rows.map((r) => profileCells(r).join(','))].join('\n')}\n`;
}
