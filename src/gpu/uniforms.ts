// Packs uniform structs by WGSL's host-shareable layout rules (alignment and size of
// scalars and vectors, struct size rounded to 16 for the uniform address space).
// The field order of a layout must match the WGSL struct declaration.

const UNIFORM_TYPES = [
  'u32',
  'i32',
  'f32',
  'vec2<u32>',
  'vec2<i32>',
  'vec2<f32>',
  'vec3<u32>',
  'vec3<f32>',
  'vec4<u32>',
  'vec4<i32>',
  'vec4<f32>',
] as const;
export type UniformType = (typeof UNIFORM_TYPES)[number];

export function isUniformType(t: string): t is UniformType {
  return (UNIFORM_TYPES as readonly string[]).includes(t);
}

export type UniformLayout = readonly (readonly [name: string, type: UniformType])[];
export type UniformValues = Record<string, number | readonly number[]>;

interface TypeInfo {
  align: number;
  size: number;
  count: number;
  scalar: 'u32' | 'i32' | 'f32';
}

function typeInfo(t: UniformType): TypeInfo {
  const m = /^(?:vec([234])<)?(u32|i32|f32)>?$/.exec(t);
  if (!m) throw new Error(`unsupported uniform type ${t}`);
  const count = m[1] ? Number(m[1]) : 1;
  const scalar = m[2] as TypeInfo['scalar'];
  const align = count === 1 ? 4 : count === 2 ? 8 : 16;
  return { align, size: 4 * count, count, scalar };
}

interface PackedField {
  name: string;
  offset: number;
  info: TypeInfo;
}

export interface PackedLayout {
  fields: PackedField[];
  byteSize: number;
}

const layoutCache = new WeakMap<UniformLayout, PackedLayout>();

export function planUniforms(layout: UniformLayout): PackedLayout {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  let offset = 0;
  const fields: PackedField[] = [];
  for (const [name, type] of layout) {
    const info = typeInfo(type);
    offset = Math.ceil(offset / info.align) * info.align;
    fields.push({ name, offset, info });
    offset += info.size;
  }
  const plan = { fields, byteSize: Math.max(16, Math.ceil(offset / 16) * 16) };
  layoutCache.set(layout, plan);
  return plan;
}

/** Writes `values` into `target` (at byte `base`) following `layout`; throws on a missing,
 * extra or out-of-range value instead of silently writing zero. */
export function packUniforms(layout: UniformLayout, values: UniformValues, target?: ArrayBuffer, base = 0): ArrayBuffer {
  const plan = planUniforms(layout);
  const buf = target ?? new ArrayBuffer(plan.byteSize);
  const view = new DataView(buf, base, plan.byteSize);
  for (const key of Object.keys(values)) {
    if (!plan.fields.some((f) => f.name === key)) throw new Error(`uniform "${key}" is not in the layout`);
  }
  for (const { name, offset, info } of plan.fields) {
    const raw = values[name];
    if (raw === undefined) throw new Error(`uniform "${name}" is missing`);
    const arr = typeof raw === 'number' ? [raw] : raw;
    if (arr.length !== info.count) throw new Error(`uniform "${name}" needs ${info.count} values, got ${arr.length}`);
    arr.forEach((v, i) => writeScalar(view, offset + 4 * i, info.scalar, v, name));
  }
  return buf;
}

function writeScalar(view: DataView, at: number, scalar: TypeInfo['scalar'], v: number, name: string): void {
  if (scalar === 'f32') return view.setFloat32(at, v, true);
  if (!Number.isInteger(v)) throw new Error(`uniform "${name}" must be an integer, got ${v}`);
  if (scalar === 'u32') {
    if (v < 0 || v > 0xffffffff) throw new RangeError(`uniform "${name}" out of u32 range: ${v}`);
    return view.setUint32(at, v, true);
  }
  if (v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`uniform "${name}" out of i32 range: ${v}`);
  view.setInt32(at, v, true);
}
