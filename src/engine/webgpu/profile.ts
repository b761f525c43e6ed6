// The GPU profile as the layers above the engine see it: whether the adapter can time
// dispatches, and a step's dispatch times summed per kernel kind (time, share of the
// step, dispatches, GFLOP/s for GEMMs and convolutions), and as CSV cells. The timing itself
// is src/gpu/profile.ts.

import type { DispatchTime } from '../../gpu';

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
