// What every convolution descriptor shares: the WGSL helpers (shaders/common/conv.wgsl, with
// its one uniform struct for all convolution kernels) and the uniform values, the geometry
// taken from the shape once here.

import convWgsl from '../../../shaders/common/conv.wgsl?raw';
import filterGradWgsl from '../../../shaders/common/convFilterGrad.wgsl?raw';
import inputRowWgsl from '../../../shaders/common/convInputRow.wgsl?raw';
import { conv2dOutShape, type Conv2dShape } from '../../util';
import type { KernelSpec } from '../kernel';

/** A convolution kernel's WGSL with the shared struct and helpers prepended (not
 * common/flatIndex.wgsl: withCommon or withPerIndex add it where a kernel needs it). */
export function withConv(code: string): string {
  return `${convWgsl}\n${code}`;
}

/** A direct kernel that reads x by rows: also its row load xAt (common/convInputRow.wgsl). */
export function withConvInputRow(code: string): string {
  return withConv(`${inputRowWgsl}\n${code}`);
}

/** A filter-gradient kernel's WGSL: also its bindings and store (common/convFilterGrad.wgsl)
 * and the row load xAt. */
export function withConvFilterGrad(code: string): string {
  return withConvInputRow(`${filterGradWgsl}\n${code}`);
}

/** The uniforms of a convolution dispatch: the geometry of `shape` and the kernel's own
 * `fields`; the struct's other fields are zero. Throws if the shader reads a field that is
 * neither geometry nor given, or a given field is not in the struct. */
export function convUniforms(kernel: KernelSpec, shape: Conv2dShape, fields: Readonly<Record<string, number>>): Record<string, number> {
  const { ho, wo } = conv2dOutShape(shape);
  const u = kernel.uniform!;
  const given: Record<string, number> = {
    batch: shape.n,
    cin: shape.cin,
    h: shape.h,
    w: shape.w,
    cout: shape.cout,
    kh: shape.kh,
    kw: shape.kw,
    stride: shape.stride,
    pad: shape.pad,
    ho,
    wo,
    ...fields,
  };
  const names = new Set(u.layout.map(([name]) => name));
  for (const key of Object.keys(fields)) if (!names.has(key)) throw new Error(`${kernel.name}: uniform "${key}" is not in its Params`);
  const out: Record<string, number> = {};
  for (const name of names) {
    if (given[name] === undefined && u.used.has(name))
      throw new Error(`${kernel.name}: uniform "${name}" is read by the shader but was not given`);
    out[name] = given[name] ?? 0;
  }
  return out;
}
