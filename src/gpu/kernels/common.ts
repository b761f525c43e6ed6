// Shared WGSL helpers and dispatch-grid math used by the kernel descriptors.

import flatIndexWgsl from '../../../shaders/common/flatIndex.wgsl?raw';
import perIndexWgsl from '../../../shaders/common/perIndex.wgsl?raw';
import perRowWgsl from '../../../shaders/common/perRow.wgsl?raw';
import treeReduceWgsl from '../../../shaders/common/treeReduce.wgsl?raw';

/** Prepends the shared helpers a shader declares it needs. */
export function withCommon(code: string): string {
  return `${flatIndexWgsl}\n${code}`;
}

/** A 1-D kernel (`fn item(i)` for i < p.n) with its entry point, shaders/common/perIndex.wgsl. */
export function withPerIndex(code: string): string {
  return withCommon(`${code}\n${perIndexWgsl}`);
}

/** Also the workgroup tree reduction (shaders/common/treeReduce.wgsl). */
export function withTreeReduce(code: string): string {
  return withCommon(`${treeReduceWgsl}\n${code}`);
}

/** A one-workgroup-per-row kernel (`fn rowItem(row, t)` for row < p.n) with its entry point,
 * shaders/common/perRow.wgsl, and the tree reduction its rows use. */
export function withRowReduce(code: string): string {
  return withTreeReduce(`${code}\n${perRowWgsl}`);
}

/** Default workgroup size of 1-D element-wise kernels (WGSL `override WG`). */
export const WG_1D = 256;
const MAX_DIM = 65535;

/** Workgroup grid covering n invocations of size wg, folded into y past 65535 groups. */
export function grid1d(n: number, wg = WG_1D, maxPerDim = MAX_DIM): [number, number] {
  const groups = Math.ceil(n / wg);
  if (groups <= maxPerDim) return [groups, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y];
}

export function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}
