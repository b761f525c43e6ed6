// The history's columns in the metrics CSV, declared once for writing (metricsExport)
// and reading (externalRuns), and matched by pytorch/train.py: the diagnostic summary
// numbers, then one column per block's gradient norm and per learnable scalar.
//
// A row is one run at one step. Block norms and scalars sit on the row of their step
// (empty where the history kept none). Diagnostics too; a step measured in both
// BatchNorm modes gets a second row holding only the diagnostics, and the diagnostics
// at step 0 (initialisation) a row of their own, with the training cells empty.

import type { DiagnosticPoint, KeptSeries, RunHistory } from './runHistory';
import type { RunState } from './runState';
import { compareBlocks } from './paramBlocks';

/** CSV column -> field of DiagnosticPoint (the BatchNorm mode first). */
const DIAGNOSTIC_COLUMNS = [
  ['diag_bn_stats', 'bnStats'],
  ['sigma_max', 'sigmaMax'],
  ['sigma_min', 'sigmaMin'],
  ['max_abs_dev', 'maxAbsDev'],
  ['rank', 'rank'],
  ['branch_balance', 'balance'],
  ['last_q', 'lastQ'],
  ['last_cosine', 'lastCosine'],
] as const satisfies readonly (readonly [string, keyof DiagnosticPoint])[];

/** Column families: the prefix, then a block ("stage1.block0") or a scalar ("stage1.block0.aRes"). */
const BLOCK_PREFIX = 'block_grad_norm:';
const SCALAR_PREFIX = 'scalar:';

type Cell = string | number | undefined;

/** The history columns for these runs: the diagnostics, then the union of their blocks
 * (network order) and of their scalars. */
export function historyHeader(runs: readonly RunState[]): string[] {
  const blocks = new Set<string>();
  const scalars = new Set<string>();
  for (const r of runs) {
    r.history?.blocks.forEach((b) => blocks.add(b));
    r.history?.scalarNames.forEach((s) => scalars.add(s));
  }
  return [
    ...DIAGNOSTIC_COLUMNS.map(([c]) => c),
    ...[...blocks].sort(compareBlocks).map((b) => BLOCK_PREFIX + b),
    ...[...scalars]
      .sort((a, b) => compareBlocks(a.replace(/\.[^.]*$/, ''), b.replace(/\.[^.]*$/, '')) || (a < b ? -1 : 1))
      .map((s) => SCALAR_PREFIX + s),
  ];
}

/** Per step, the history cells of each row the run needs there (one, or two when both
 * BatchNorm modes were measured), in `header` order. */
export function historyCells(run: RunState, header: readonly string[]): Map<number, Cell[][]> {
  const out = new Map<number, Cell[][]>();
  const h = run.history;
  if (!h) return out;
  const col = new Map(header.map((c, i) => [c, i]));
  const rowAt = (step: number, k = 0): Cell[] => {
    const rows = out.get(step) ?? [];
    while (rows.length <= k) rows.push(new Array<Cell>(header.length).fill(undefined));
    out.set(step, rows);
    return rows[k];
  };
  const fill = (s: KeptSeries, names: readonly string[], prefix: string) =>
    s.steps.forEach((step, j) => {
      const row = rowAt(step);
      names.forEach((n, i) => (row[col.get(prefix + n)!] = s.rows[j][i]));
    });
  fill(h.gradNorms, h.blocks, BLOCK_PREFIX);
  fill(h.scalars, h.scalarNames, SCALAR_PREFIX);
  const perStep = new Map<number, number>();
  for (const d of h.diagnostics) {
    const k = perStep.get(d.step) ?? 0;
    perStep.set(d.step, k + 1);
    const row = rowAt(d.step, k);
    for (const [c, f] of DIAGNOSTIC_COLUMNS) row[col.get(c)!] = d[f];
  }
  return out;
}

/** Reads the history columns of a metrics CSV into each run's history. Columns other
 * than the lab's are ignored; a CSV without history columns gives no history. */
export class HistoryReader {
  private readonly blocks: [string, number][];
  private readonly scalars: [string, number][];
  private readonly diag: number[];
  private readonly rows = new Map<
    string,
    { step: number; blocks: Map<string, number>; scalars: Map<string, number>; diag?: DiagnosticPoint }[]
  >();

  constructor(header: readonly string[]) {
    const family = (prefix: string) =>
      header.flatMap((c, i) => (c.startsWith(prefix) && c.length > prefix.length ? [[c.slice(prefix.length), i] as [string, number]] : []));
    this.blocks = family(BLOCK_PREFIX);
    this.scalars = family(SCALAR_PREFIX);
    this.diag = DIAGNOSTIC_COLUMNS.map(([c]) => header.indexOf(c));
    const some = this.diag.filter((i) => i >= 0).length;
    if (some > 0 && some < this.diag.length)
      throw new Error(
        `the diagnostic columns are incomplete: expected all of ${DIAGNOSTIC_COLUMNS.map(([c]) => c).join(', ')}; write them all (empty cells are fine) or none`,
      );
  }

  /** Takes the history cells of one row; `num` parses a cell (line and column in its errors). */
  read(runKey: string, step: number, cell: (i: number) => string, num: (text: string, column: string) => number, line: number): void {
    const rows = this.rows.get(runKey) ?? [];
    this.rows.set(runKey, rows);
    const values = (cols: [string, number][], prefix: string) =>
      new Map(cols.filter(([, i]) => cell(i) !== '').map(([n, i]) => [n, num(cell(i), prefix + n)]));
    const row = {
      step,
      blocks: values(this.blocks, BLOCK_PREFIX),
      scalars: values(this.scalars, SCALAR_PREFIX),
      diag: undefined as DiagnosticPoint | undefined,
    };
    if (this.diag[0] >= 0 && this.diag.some((i) => cell(i) !== '')) {
      const mode = cell(this.diag[0]);
      if (mode !== 'batch' && mode !== 'running')
        throw new Error(`line ${line}: diag_bn_stats must be "batch" or "running" on a row with diagnostics, got "${mode.slice(0, 20)}"`);
      const d = { step, bnStats: mode } as Record<string, unknown>;
      DIAGNOSTIC_COLUMNS.slice(1).forEach(
        ([c, f], k) => (d[f] = cell(this.diag[k + 1]) === '' ? Number.NaN : num(cell(this.diag[k + 1]), c)),
      );
      row.diag = d as unknown as DiagnosticPoint;
    }
    if (row.blocks.size || row.scalars.size || row.diag) rows.push(row);
  }

  /** The history read for one run, or undefined when its rows held none. */
  historyOf(runKey: string): RunHistory | undefined {
    const rows = (this.rows.get(runKey) ?? []).sort((a, b) => a.step - b.step);
    if (!rows.length) return undefined;
    const series = (pick: (r: (typeof rows)[number]) => Map<string, number>, order?: (a: string, b: string) => number) => {
      const names = [...new Set(rows.flatMap((r) => [...pick(r).keys()]))].sort(order);
      const kept = rows.filter((r) => pick(r).size > 0);
      const s: KeptSeries = {
        stride: 1,
        seen: kept.length,
        steps: kept.map((r) => r.step),
        rows: kept.map((r) => names.map((n) => pick(r).get(n) ?? Number.NaN)),
      };
      return { names, s };
    };
    const blocks = series((r) => r.blocks, compareBlocks);
    const scalars = series((r) => r.scalars);
    return {
      blocks: blocks.names,
      gradNorms: blocks.s,
      scalarNames: scalars.names,
      scalars: scalars.s,
      diagnostics: rows.flatMap((r) => (r.diag ? [r.diag] : [])),
    };
  }
}
