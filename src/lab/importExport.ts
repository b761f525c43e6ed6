// Reading back an exported results JSON (toExportJson): the experiment is decoded
// leniently like a link, the runs are checked field by field, and anything that is not
// a lab export is refused with a reason. Nothing in the file is evaluated.

import type { ExperimentConfig } from './experimentConfig';
import type { ComparisonSnapshot, EvalPoint, RunState, TrainPoint } from './runState';
import { runKey } from './runState';
import { MAX_SEEDS, runKeyOf } from './seeds';
import { decodeExperimentJson } from './urlCodec';
import { parseHistory } from './historyJson';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v.slice(0, 200) : fallback);

const STATUSES = new Set(['pending', 'compiling', 'running', 'paused', 'finished', 'stopped', 'diverged', 'failed']);

function trainPoints(v: unknown): TrainPoint[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(isObj)
    .map((p) => ({ step: num(p.step), epoch: num(p.epoch), loss: num(p.loss), acc: num(p.acc), lr: num(p.lr), gradNorm: num(p.gradNorm) }));
}

function evalPoints(v: unknown): EvalPoint[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((p) => ({ step: num(p.step), loss: num(p.loss), acc: num(p.acc) }));
}

const seedNumber = (v: unknown, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v : undefined);

function runOf(r: Record<string, unknown>, i: number, schemes: ExperimentConfig['schemes']): RunState {
  // Each run once per seed: find its scheme by its key, else by its place.
  const key = str(r.key, `run${i}`);
  const scheme = schemes.find((s) => runKey(s) === runKeyOf(key)) ?? schemes[i] ?? schemes[0];
  const seedIndex = seedNumber(r.seedIndex, MAX_SEEDS - 1);
  const seed = seedNumber(r.seed, 2 ** 32 - 1);
  const status = STATUSES.has(r.status as string) ? (r.status as RunState['status']) : 'stopped';
  return {
    key,
    ...(seedIndex !== undefined && { seedIndex }),
    ...(seed !== undefined && { seed }),
    scheme,
    label: str(r.label, scheme.id),
    status: status === 'running' || status === 'paused' || status === 'compiling' ? 'stopped' : status,
    message: typeof r.message === 'string' ? r.message.slice(0, 500) : undefined,
    divergedAt: typeof r.divergedAt === 'number' ? r.divergedAt : undefined,
    step: num(r.step),
    paramCount: num(r.paramCount),
    train: trainPoints(r.train),
    test: evalPoints(r.test),
    history: parseHistory(r.history, `${i + 1} (${str(r.key, scheme.id)})`),
  };
}

export function parseExport(json: unknown): { experiment: ExperimentConfig; snapshot: ComparisonSnapshot; warnings: string[] } {
  const data = typeof json === 'string' ? safeParse(json) : json;
  if (!isObj(data) || data.format !== 'risotto-lab-experiment')
    throw new Error('this file is not a Risotto Lab results export (expected "format": "risotto-lab-experiment")');
  if (data.formatVersion !== 1)
    throw new Error(`results export version ${String(data.formatVersion)} is not supported (this lab reads version 1)`);
  const { config, warnings } = decodeExperimentJson(data.experiment);
  if (!Array.isArray(data.runs) || data.runs.length === 0) throw new Error('the export holds no runs');
  const runs = data.runs.filter(isObj).map((r, i) => runOf(r, i, config.schemes));
  const summary = isObj(data.summary) ? data.summary : {};
  const step = Math.max(0, ...runs.map((r) => (Number.isFinite(r.step) ? r.step : 0)));
  const snapshot: ComparisonSnapshot = {
    phase: summary.phase === 'finished' ? 'finished' : 'stopped',
    step,
    totalSteps: config.steps,
    stepsPerSecond: 0,
    imagesPerSecond: 0,
    etaSeconds: Number.NaN,
    compileMs: 0,
    gpuBytesInUse: 0,
    recoveredAt: [],
    spectra: [],
    signals: [],
    warnings: [],
    runs,
  };
  return { experiment: config, snapshot, warnings };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`the file is not valid JSON: ${(e as Error).message}`);
  }
}
