// The shape of a kernel: a WGSL shader, its storage bindings, its uniform struct,
// and a dispatch record (which buffers, which uniform values, how many workgroups).
// Bindings: storage buffers at @group(0) @binding(0..n-1), the uniform struct at @binding(n).

import type { UniformLayout, UniformValues } from './uniforms';

export type StorageAccess = 'read' | 'read_write';

export interface KernelSpec {
  /** Used as the pipeline label and in error messages. */
  name: string;
  code: string;
  entryPoint?: string;
  /** WGSL `override` constants (workgroup sizes, tile sizes, flags). */
  constants?: Readonly<Record<string, number>>;
  storage: readonly StorageAccess[];
  uniforms?: UniformLayout;
}

/** A whole buffer, or a 256-byte-aligned window of one. */
export type BufferRef = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

export interface Dispatch {
  kernel: KernelSpec;
  buffers: readonly BufferRef[];
  uniforms?: UniformValues;
  workgroups: readonly [number, number?, number?];
}

export function toBinding(ref: BufferRef): GPUBufferBinding {
  // The window form is the only one with a `buffer` field (a GPUBuffer, or a planner's
  // stand-in for one, has none).
  if (!('buffer' in ref)) return { buffer: ref };
  return { buffer: ref.buffer, offset: ref.offset ?? 0, size: ref.size };
}

/** The (buffer, offset, size) a reference covers; size undefined = to the end. */
export function windowOf(ref: BufferRef): { buffer: GPUBuffer; offset: number; size?: number } {
  const b = toBinding(ref);
  return { buffer: b.buffer, offset: b.offset ?? 0, size: b.size };
}

export function validateDispatch(d: Dispatch, maxWorkgroups: number): void {
  const { kernel, buffers, workgroups } = d;
  if (buffers.length !== kernel.storage.length) {
    throw new Error(`${kernel.name}: expected ${kernel.storage.length} storage buffers, got ${buffers.length}`);
  }
  if (kernel.uniforms && !d.uniforms) throw new Error(`${kernel.name}: uniform values missing`);
  for (const w of workgroups) {
    if (w === undefined) continue;
    if (!Number.isInteger(w) || w < 0) throw new Error(`${kernel.name}: invalid workgroup count ${w}`);
    if (w > maxWorkgroups) {
      throw new Error(`${kernel.name}: ${w} workgroups exceed the device limit of ${maxWorkgroups} per dimension; tile the dispatch`);
    }
  }
}
