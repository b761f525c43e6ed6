// The depth sweep (docs/science.md section 5): for D = 1, 2, 4, ..., maxDepth blocks in
// one stride-1 stage, each scheme and each of K seeds, the Jacobian spectrum's sigma_max,
// sigma_min, max |sigma - 1| and the last block's q and cosine, at initialisation. Each
// point is one stage measurement (stageNet.ts, the lab's GPU diagnostics); cancellable,
// with progress. Also the rows grouped into bands over seeds and the CSV table.

import { band, type Band } from '../analysis';
import type { BnStatsMode } from '../analysis';
import type { GpuContext } from '../engine';
import type { InitSchemeId } from '../nn';
import { measureStage, stageNet, STAGE_FIELDS, type StageSettings } from './stageNet';

export const DEFAULT_SWEEP_SEEDS = 3;
const MAX_SWEEP_SEEDS = 10;

export interface DepthSweepRequest {
  schemes: readonly InitSchemeId[];
  /** A power of two up to the stage's depth limit. */
  maxDepth: number;
  /** K: seeds settings.seed, settings.seed + 1, ... */
  seeds: number;
  /** Width, BatchNorm, a_res / a_skip and the first seed; the depth is swept. */
  settings: Omit<StageSettings, 'depth'>;
  bnStats?: BnStatsMode;
  /** P of the probe (default 8, the size the section's figures use). */
  probeSize?: number;
}

export interface SweepRow {
  scheme: InitSchemeId;
  depth: number;
  seed: number;
  /** Whether the measured net has BatchNorm (Fixup and SkipInit turn it off). */
  batchNorm: boolean;
  sigmaMax: number;
  /** Over the non-zero singular values. */
  sigmaMin: number;
  maxAbsDeviation: number;
  rank: number;
  /** The last block's mean square per unit and activation cosine (means over the pairs). */
  q: number;
  cosine: number;
  /** Looks-linear schemes: the cosine of the signals d. */
  signalCosine?: number;
}

export interface SweepProgress {
  done: number;
  total: number;
  /** The point just measured. */
  row: SweepRow;
}

/** 1, 2, 4, ..., maxDepth. */
export function sweepDepths(maxDepth: number): number[] {
  const max = STAGE_FIELDS.depth.max;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > max || (maxDepth & (maxDepth - 1)) !== 0) {
    throw new Error(`the sweep's largest depth must be a power of two from 1 to ${max} (1, 2, 4, ..., ${max}), got ${maxDepth}`);
  }
  return Array.from({ length: Math.log2(maxDepth) + 1 }, (_, i) => 2 ** i);
}

/** Every problem with the request, before any GPU work: bad counts, and schemes that
 * cannot build the stage at some depth. */
export function sweepProblems(req: DepthSweepRequest): string[] {
  const out: string[] = [];
  try {
    sweepDepths(req.maxDepth);
  } catch (e) {
    out.push((e as Error).message);
  }
  if (!Number.isInteger(req.seeds) || req.seeds < 1 || req.seeds > MAX_SWEEP_SEEDS)
    out.push(`seeds must be a whole number from 1 to ${MAX_SWEEP_SEEDS}, got ${req.seeds}`);
  if (req.schemes.length === 0) out.push('no scheme to sweep');
  if (out.length) return out;
  for (const id of req.schemes)
    out.push(...stageNet({ ...req.settings, depth: req.maxDepth }, id, req.probeSize).problems.map((p) => `${id}: ${p}`));
  return out;
}

export async function depthSweep(
  ctx: GpuContext,
  req: DepthSweepRequest,
  opts: { abort?: AbortSignal; onProgress?: (p: SweepProgress) => void } = {},
): Promise<SweepRow[]> {
  const problems = sweepProblems(req);
  if (problems.length) throw new Error(`depth sweep:\n- ${problems.join('\n- ')}`);
  const depths = sweepDepths(req.maxDepth);
  const total = depths.length * req.schemes.length * req.seeds;
  const rows: SweepRow[] = [];
  for (const depth of depths) {
    for (const scheme of req.schemes) {
      for (let k = 0; k < req.seeds; k++) {
        const seed = req.settings.seed + k;
        const m = await measureStage(ctx, { ...req.settings, depth, seed }, scheme, {
          abort: opts.abort,
          bnStats: req.bnStats,
          probeSize: req.probeSize,
        });
        const sp = m.spectrum;
        const last = m.signal.layers[depth];
        const row: SweepRow = {
          scheme,
          depth,
          seed,
          batchNorm: sp.batchNorm,
          sigmaMax: sp.singularValues[0],
          sigmaMin: sp.singularValues[sp.rank - 1] ?? NaN,
          maxAbsDeviation: sp.maxAbsDeviation,
          rank: sp.rank,
          q: last.q.mean,
          cosine: last.cosine.mean,
          ...(last.signalCosine ? { signalCosine: last.signalCosine.mean } : {}),
        };
        rows.push(row);
        opts.onProgress?.({ done: rows.length, total, row });
      }
    }
  }
  return rows;
}

const SWEEP_QUANTITIES = ['sigmaMax', 'sigmaMin', 'maxAbsDeviation', 'q', 'cosine', 'signalCosine'] as const;
export type SweepQuantity = (typeof SWEEP_QUANTITIES)[number];

/** One scheme at one depth: each quantity's mean and min-max band over the seeds. */
export interface SweepPoint {
  scheme: InitSchemeId;
  depth: number;
  seeds: number;
  bands: Record<SweepQuantity, Band>;
}

export function sweepPoints(rows: readonly SweepRow[]): SweepPoint[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    const key = `${r.scheme}@${r.depth}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    scheme: g[0].scheme,
    depth: g[0].depth,
    seeds: g.length,
    bands: Object.fromEntries(SWEEP_QUANTITIES.map((q) => [q, band(g.map((r) => r[q] ?? NaN))])) as Record<SweepQuantity, Band>,
  }));
}

const CSV_COLUMNS = ['scheme', 'depth', 'seed', 'batchNorm', 'rank', ...SWEEP_QUANTITIES] as const;

/** One line per row; an empty cell where a quantity does not apply (signalCosine of a
 * scheme that is not looks-linear). */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const cell = (v: unknown) => (v === undefined ? '' : String(v));
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
