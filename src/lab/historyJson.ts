// A run's history read back from a results export (JSON): every field checked, with an
// error saying which run and field is wrong. JSON writes NaN as null; null reads as NaN.

import type { DiagnosticPoint, KeptSeries, RunHistory } from './runHistory';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FIX = 'export the results again from the lab, or delete the run\u2019s "history" field to import it without';

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}; ${FIX}`);
}

function names(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((n) => typeof n !== 'string')) fail(where, 'must be a list of names');
  return (v as string[]).map((n) => n.slice(0, 200));
}

function value(v: unknown, where: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') fail(where, `must be a number or null, got ${JSON.stringify(v)?.slice(0, 40)}`);
  return v as number;
}

function series(v: unknown, width: number, where: string): KeptSeries {
  if (!isObj(v)) fail(where, 'is missing');
  const { steps, rows } = v as Record<string, unknown>;
  if (!Array.isArray(steps) || steps.some((s, j) => !Number.isInteger(s) || s < 0 || (j > 0 && s <= steps[j - 1])))
    fail(`${where}.steps`, 'must be ascending non-negative integers');
  if (!Array.isArray(rows) || rows.length !== (steps as number[]).length)
    fail(`${where}.rows`, `must hold one row per step (${(steps as number[]).length})`);
  const parsed = (rows as unknown[]).map((row, j) => {
    if (!Array.isArray(row) || row.length !== width) fail(`${where}.rows[${j}]`, `must hold ${width} values, one per name`);
    return (row as unknown[]).map((x, i) => value(x, `${where}.rows[${j}][${i}]`));
  });
  const stride = Number.isInteger(v.stride) && (v.stride as number) > 0 ? (v.stride as number) : 1;
  const seen = Number.isInteger(v.seen) ? (v.seen as number) : parsed.length;
  return { stride, seen, steps: steps as number[], rows: parsed };
}

const DIAGNOSTIC_NUMBERS = ['sigmaMax', 'sigmaMin', 'maxAbsDev', 'rank', 'balance', 'lastQ', 'lastCosine'] as const;

function diagnostics(v: unknown, where: string): DiagnosticPoint[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(where, 'must be a list');
  return (v as unknown[]).map((d, j) => {
    const at = `${where}[${j}]`;
    if (!isObj(d)) fail(at, 'must be an object');
    if (!Number.isInteger(d.step) || (d.step as number) < 0) fail(`${at}.step`, 'must be a non-negative integer');
    if (d.bnStats !== 'batch' && d.bnStats !== 'running') fail(`${at}.bnStats`, 'must be "batch" or "running"');
    const out = { step: d.step, bnStats: d.bnStats } as Record<string, unknown>;
    for (const f of DIAGNOSTIC_NUMBERS) out[f] = value(d[f], `${at}.${f}`);
    return out as unknown as DiagnosticPoint;
  });
}

/** The run's history, or undefined when the export has none (older exports). */
export function parseHistory(v: unknown, run: string): RunHistory | undefined {
  if (v === undefined || v === null) return undefined;
  const where = `run ${run}: history`;
  if (!isObj(v)) fail(where, 'must be an object');
  const blocks = names(v.blocks, `${where}.blocks`);
  const scalarNames = names(v.scalarNames ?? [], `${where}.scalarNames`);
  return {
    blocks,
    gradNorms: series(v.gradNorms, blocks.length, `${where}.gradNorms`),
    scalarNames,
    scalars:
      v.scalars === undefined && !scalarNames.length
        ? { stride: 1, seen: 0, steps: [], rows: [] }
        : series(v.scalars, scalarNames.length, `${where}.scalars`),
    diagnostics: diagnostics(v.diagnostics, `${where}.diagnostics`),
  };
}
