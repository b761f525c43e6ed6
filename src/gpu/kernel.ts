// The shape of a kernel: a WGSL shader whose bindings and uniform struct are read from
// the WGSL itself (wgslReflect), and a dispatch record that passes buffers by binding
// name, checked against that reflection. A kernel's facts live in its .wgsl only.

import type { PipelineKeySource } from './pipelineCache';
import { isUniformType, type UniformLayout, type UniformValues } from './uniforms';
import { reflectWgsl, usedBindings, usedFields, type WgslBinding } from './wgslReflect';

export interface KernelSource {
  /** Used as the pipeline label and in error messages. */
  name: string;
  /** The whole module: shared helpers already prepended. */
  code: string;
  entryPoint?: string;
  /** Values for WGSL `override` constants (workgroup sizes, tile sizes, flags). */
  constants?: Readonly<Record<string, number>>;
}

/** What the pipeline cache compiles for a kernel (its key and label). */
export function pipelineSource(k: KernelSource): PipelineKeySource {
  return { code: k.code, entryPoint: k.entryPoint, constants: k.constants, label: k.name };
}

export interface KernelSpec extends KernelSource {
  /** The storage buffers the entry point uses, in binding order (reflected). */
  storage: readonly WgslBinding[];
  /** The uniform struct binding and its field layout (reflected), if any. */
  uniform?: { binding: number; layout: UniformLayout; used: ReadonlySet<string> };
}

/** The fields of a WGSL struct as a packable layout (u32 / i32 / f32 scalars and vectors). */
export function structLayout(code: string, struct: string): UniformLayout {
  const fields = reflectWgsl(code).structs[struct];
  if (!fields) throw new Error(`WGSL struct ${struct} not found`);
  return fields.map((f) => {
    if (!isUniformType(f.type)) throw new Error(`WGSL struct field ${struct}.${f.name} has unsupported type ${f.type}`);
    return [f.name, f.type] as const;
  });
}

/** Reflects `src.code` and checks the constants against its `override` declarations. */
export function defineKernel(src: KernelSource): KernelSpec {
  const r = reflectWgsl(src.code);
  const entry = src.entryPoint ?? 'main';
  const used = usedBindings(r, entry);
  const fail = (msg: string): never => {
    throw new Error(`kernel ${src.name}: ${msg}`);
  };
  for (const b of used) if (b.group !== 0) fail(`binding ${b.name} is in group ${b.group}; kernels use group 0 only`);
  for (const key of Object.keys(src.constants ?? {})) {
    if (!r.overrides.some((o) => o.name === key))
      fail(`constant ${key} is not an override in the shader (${r.overrides.map((o) => o.name).join(', ')})`);
  }
  for (const o of r.overrides) {
    if (o.defaultValue === undefined && src.constants?.[o.name] === undefined) fail(`override ${o.name} has no default and no value`);
  }
  const uniforms = used.filter((b) => b.access === 'uniform');
  if (uniforms.length > 1) fail('more than one uniform binding');
  const spec: KernelSpec = { ...src, storage: used.filter((b) => b.access !== 'uniform') };
  if (uniforms.length === 1) {
    const u = uniforms[0];
    if (!r.structs[u.type]) fail(`uniform ${u.name} has type ${u.type}, which is not a struct in the shader`);
    spec.uniform = { binding: u.binding, layout: structLayout(src.code, u.type), used: usedFields(r, entry, u.name) };
  }
  return spec;
}

const defined = new Map<string, KernelSpec>();

/** defineKernel once per distinct source (name, entry point, constants, WGSL): for kernels
 * generated while recording (fused expressions, geometry-specialised convs), so every
 * recording of the same kernel gets the same spec. */
export function definedKernel(src: KernelSource): KernelSpec {
  const key = JSON.stringify([src.name, src.entryPoint ?? 'main', src.constants ?? {}, src.code]);
  let spec = defined.get(key);
  if (!spec) {
    spec = defineKernel(src);
    defined.set(key, spec);
  }
  return spec;
}

/** WebGPU's storage-buffer offset alignment (minStorageBufferOffsetAlignment; no adapter
 * may ask for more): where a window of a buffer may start, in bytes. */
export const STORAGE_OFFSET_ALIGN = 256;

/** A whole buffer, or a STORAGE_OFFSET_ALIGN-aligned window of one. */
export type BufferRef = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

/** Buffers by WGSL binding name. */
export type BufferMap = Readonly<Record<string, BufferRef>>;

export interface Dispatch {
  kernel: KernelSpec;
  buffers: BufferMap;
  uniforms?: UniformValues;
  workgroups: readonly [number, number?, number?];
  /** Floating-point operations this dispatch performs (2 per multiply-add), where the
   * kernel is a GEMM or convolution: the profile's GFLOP/s. */
  flops?: number;
}

function toBinding(ref: BufferRef): GPUBufferBinding {
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
  const names = kernel.storage.map((b) => b.name);
  for (const b of kernel.storage) {
    if (buffers[b.name] === undefined) {
      throw new Error(
        `${kernel.name}: no buffer for binding "${b.name}" (@binding(${b.binding}), ${b.access}); the shader binds ${names.join(', ')}`,
      );
    }
  }
  for (const key of Object.keys(buffers)) {
    if (!names.includes(key)) throw new Error(`${kernel.name}: buffer "${key}" matches no binding the shader uses (${names.join(', ')})`);
  }
  if (kernel.uniform && !d.uniforms) throw new Error(`${kernel.name}: uniform values missing`);
  for (const w of workgroups) {
    if (w === undefined) continue;
    if (!Number.isInteger(w) || w < 0) throw new Error(`${kernel.name}: invalid workgroup count ${w}`);
    if (w > maxWorkgroups) {
      throw new Error(`${kernel.name}: ${w} workgroups exceed the device limit of ${maxWorkgroups} per dimension; tile the dispatch`);
    }
  }
}

/** Bind-group entries for a dispatch's storage buffers, at their reflected binding numbers. */
export function storageEntries(d: Dispatch): GPUBindGroupEntry[] {
  return d.kernel.storage.map((b) => ({ binding: b.binding, resource: toBinding(d.buffers[b.name]) }));
}
