// What kernel descriptors record into (KernelSink: dispatches, copies, clears, scratch
// buffers), and the variant choice a sink can carry for kernels with several variants
// (TunableOp; the tuner in tuner.ts implements VariantChooser). Types only.

import type { Dispatch } from './kernel';

/** What kernel descriptors record into: dispatches, copies, and scratch buffers that
 * live as long as the submit or program that uses them. */
export interface KernelSink {
  dispatch(d: Dispatch): void;
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void;
  clear(buffer: GPUBuffer, offset?: number, size?: number): void;
  scratch(bytes: number, label?: string): GPUBuffer;
  /** Picks among a kernel's variants (see tuner.ts); without one, descriptors use defaults. */
  readonly tuner?: VariantChooser;
}

/** One call of a kernel with variants, as the tuner times it. */
export interface TunableOp {
  /** The kernel kind, e.g. `conv2dForward`; with `shape` the cache key. */
  kind: string;
  shape: string;
  variants: readonly string[];
  /** The fixed choice when tuning is off or has not timed this op. */
  default: string;
  /** The fixed choice on a software rasteriser (SwiftShader, lavapipe), when it differs:
   * there a kernel with workgroup barriers is slow and a barrier-free one usually wins. */
  softwareDefault?: string;
  /** Byte sizes of the buffers `record` takes (allocated once for the timing runs). */
  buffers: readonly number[];
  record(sink: KernelSink, buffers: GPUBuffer[], variant: string): void;
}

export interface VariantChooser {
  choose(op: TunableOp): string;
}
