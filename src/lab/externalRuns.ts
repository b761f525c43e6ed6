// Runs trained outside the lab (the PyTorch export's train.py) coming back in: the
// lab's own metrics CSV (metricsExport.ts columns) parsed into RunStates marked as
// external, one per run and seed, so the charts overlay them on the browser runs of the
// same experiment. A CSV without the seed column (older exports) holds one seed per run.
// Checks the header, every number and the run's scheme; says what is wrong, by line.

import { parseCsvRecords } from '../util';
import { INIT_SCHEME_IDS, isInitSchemeId, initScheme } from '../nn';
import type { ExperimentConfig } from './experimentConfig';
import { CSV_COLUMNS } from './metricsExport';
import { HistoryReader } from './historyCsv';
import type { EvalPoint, RunState, RunStatus, TrainPoint } from './runState';
import { instanceKey } from './seeds';

export interface ExternalSource {
  /** Where it ran, shown in labels: "PyTorch". */
  tool: string;
  /** The file it came from. */
  file: string;
  importedAt: string;
}

export type ExternalRun = RunState & { external: ExternalSource };

const STATUSES: ReadonlySet<string> = new Set(['pending', 'compiling', 'running', 'paused', 'finished', 'stopped', 'diverged', 'failed']);
const MAX_ROWS = 2_000_000;
/** A row with all of these empty carries no training step, only history. */
const TRAIN_CELLS = ['epoch', 'lr', 'train_loss', 'train_acc', 'grad_norm', 'test_loss', 'test_acc'] as const;
/** Columns an older CSV may lack. */
const OPTIONAL: ReadonlySet<string> = new Set(['seed']);

export function isExternalRun(r: RunState): r is ExternalRun {
  return (r as Partial<ExternalRun>).external !== undefined;
}

/** Python's spellings of the non-finite values (a diverged loss). */
const PYTHON_SPECIAL: Readonly<Record<string, number>> = { nan: Number.NaN, inf: Infinity, infinity: Infinity };

function numberCell(cell: string, line: number, column: string, optional: boolean): number {
  if (cell === '' && optional) return Number.NaN;
  const sign = cell.startsWith('-') ? -1 : 1;
  const special = PYTHON_SPECIAL[cell.replace(/^[+-]/, '').toLowerCase()];
  if (special !== undefined) return sign * special;
  const v = cell === '' ? Number.NaN : Number(cell);
  if (Number.isNaN(v)) throw new Error(`line ${line}: ${column} must be a number, got "${cell.slice(0, 40)}"`);
  return v;
}

/** Runs in `text` (one per value of the run column, in order of appearance). Throws
 * with the line and column of the first problem; `warnings` lists what was accepted
 * but may surprise (a scheme the experiment does not compare, ...). */
export function parseMetricsCsv(
  text: string,
  source: Omit<ExternalSource, 'importedAt'> & { importedAt?: string },
  experiment?: ExperimentConfig,
): { runs: ExternalRun[]; warnings: string[] } {
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) throw new Error(`${source.file} is empty; expected the metrics.csv that train.py writes`);
  const header = records[0].map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c) && !OPTIONAL.has(c));
  if (missing.length)
    throw new Error(
      `${source.file} is not a Risotto Lab metrics CSV: it lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected: ${CSV_COLUMNS.join(',')})`,
    );
  if (records.length - 1 > MAX_ROWS) throw new Error(`${source.file} has ${records.length - 1} rows; the lab imports at most ${MAX_ROWS}`);
  const col = Object.fromEntries(CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CSV_COLUMNS)[number], number>;
  const history = new HistoryReader(header);
  const importedAt = source.importedAt ?? new Date().toISOString();
  const byKey = new Map<string, ExternalRun>();
  /** Per run key, its seeds in order of appearance (the seed index). */
  const seedsOf = new Map<string, string[]>();
  const warnings: string[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.length === 1 && rec[0].trim() === '') return;
    if (rec.length < header.length) throw new Error(`line ${line}: ${rec.length} cells, the header has ${header.length}`);
    const cell = (c: (typeof CSV_COLUMNS)[number]) => (col[c] < 0 ? '' : rec[col[c]].trim());
    const key = cell('run');
    if (!key) throw new Error(`line ${line}: the run column is empty`);
    const seedText = cell('seed');
    const seed = seedText === '' ? undefined : numberCell(seedText, line, 'seed', false);
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
      throw new Error(`line ${line}: seed must be an integer from 0 to 2^32 - 1, got ${seedText.slice(0, 40)}`);
    const seeds = seedsOf.get(key) ?? [];
    seedsOf.set(key, seeds);
    if (!seeds.includes(seedText)) seeds.push(seedText);
    const seedIndex = seeds.indexOf(seedText);
    let run = byKey.get(`${key}\u0000${seedText}`);
    if (!run) {
      const schemeId = cell('scheme');
      if (!isInitSchemeId(schemeId))
        throw new Error(`line ${line}: unknown scheme "${schemeId.slice(0, 40)}" (the lab knows ${INIT_SCHEME_IDS.join(', ')})`);
      const scheme = experiment?.schemes.find((s) => s.id === schemeId) ?? { id: schemeId };
      if (experiment && !experiment.schemes.some((s) => s.id === schemeId))
        warnings.push(`${key}: this experiment does not compare ${schemeId}; its curves are shown anyway`);
      run = {
        key: `${source.tool.toLowerCase()}:${instanceKey(key, seedIndex)}`,
        seedIndex,
        ...(seed !== undefined && { seed }),
        scheme,
        label: `${initScheme(schemeId).label} (${source.tool})`,
        status: 'finished',
        step: 0,
        paramCount: Number.NaN,
        train: [],
        test: [],
        external: { tool: source.tool, file: source.file, importedAt },
      };
      byKey.set(`${key}\u0000${seedText}`, run);
    }
    const status = cell('status');
    run.status = STATUSES.has(status) ? (status as RunStatus) : 'stopped';
    const step = numberCell(cell('step'), line, 'step', false);
    if (!Number.isInteger(step) || step < 0) throw new Error(`line ${line}: step must be a non-negative integer, got ${cell('step')}`);
    const n = (c: (typeof CSV_COLUMNS)[number]) => numberCell(cell(c), line, c, true);
    history.read(
      `${key}\u0000${seedText}`,
      step,
      (i) => rec[i].trim(),
      (text, column) => numberCell(text, line, column, false),
      line,
    );
    // A row holding only history (diagnostics at step 0, a second BatchNorm mode).
    if (TRAIN_CELLS.every((c) => cell(c) === '')) return;
    const point: TrainPoint = {
      step,
      epoch: n('epoch'),
      lr: n('lr'),
      loss: n('train_loss'),
      acc: n('train_acc'),
      gradNorm: n('grad_norm'),
    };
    run.train.push(point);
    if (cell('test_loss') !== '' || cell('test_acc') !== '') {
      const ev: EvalPoint = { step, loss: n('test_loss'), acc: n('test_acc') };
      run.test.push(ev);
    }
    run.step = Math.max(run.step, step);
  });
  const runs = [...byKey.entries()].map(([key, run]) => {
    const h = history.historyOf(key);
    return h ? { ...run, history: h } : run;
  });
  if (runs.length === 0) throw new Error(`${source.file} has a header but no rows`);
  for (const r of runs) {
    r.train.sort((a, b) => a.step - b.step);
    r.test.sort((a, b) => a.step - b.step);
    if (r.status === 'running' || r.status === 'paused' || r.status === 'compiling') r.status = 'stopped';
  }
  if (experiment) {
    const longest = Math.max(...runs.map((r) => r.step));
    if (longest !== experiment.steps)
      warnings.push(`the imported runs end at step ${longest}, the experiment has ${experiment.steps} steps`);
  }
  return { runs, warnings };
}
