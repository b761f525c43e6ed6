// The export's diagnostics.py (real PyTorch, float64) against the lab's own diagnostics
// on the GPU for the same weights and inputs: spectrum (singular values, rank, zeros,
// reach map), signal propagation (q, cosine, looks-linear signal cosine) and branch
// balance, in both BatchNorm modes, Type B and C, with stride-2 stages; from the image
// or the stem's output, to the last block or the end of a stage; data or noise pairs.
// The lab side draws its inputs as a training run does, so a package holding other
// inputs than the lab's would fail here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BnStatsMode } from '../../analysis/bnStats';
import type { Band } from '../../analysis/signalPropagation';
import { channelStats } from '../../data/batcher';
import { gpuTestContext } from '../../engine/webgpu/testing';
import { dataInputs, noiseInputs } from '../diagnosticInputs';
import type { SignalRecord, SpectrumRecord } from '../diagnostics';
import type { ExperimentConfig } from '../experimentConfig';
import { measureSignalRecord, measureSpectrumRecord } from '../measure';
import { experiment, py, run, tinyDataset, writePackage } from './pythonTesting';
import type { PytorchConfig } from './pytorchConfig';
import { README_COMMANDS } from './readme';

beforeAll(() => {
  py();
});

type Nullable<T> = { [K in keyof T]: T[K] extends number ? number | null : T[K] };
interface PyResult {
  run: string;
  bnStats: BnStatsMode;
  batchNorm: boolean;
  spectrum: Nullable<Pick<SpectrumRecord, 'singularValues' | 'rank' | 'zeros' | 'rows' | 'cols' | 'reach' | 'reachSize' | 'from' | 'target' | 'maxAbsDeviation' | 'meanSquared'>>;
  signal: { pairs: number; inputCosine: Nullable<Band>; layers: { name: string; q: Nullable<Band>; cosine: Nullable<Band>; signalCosine?: Nullable<Band> }[]; balance: { name: string; ratio: Nullable<Band> }[] };
}

const TOL = 1e-4;

/** max |got - want| / max |want|, the export's parity measure. A value the lab cannot
 * give (NaN, e.g. a cosine of a zero activation) must be null (JSON's NaN) in PyTorch. */
function relErr(got: readonly (number | null)[], want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i] === null, `value ${i}: ${got[i]} vs ${w}`).toBe(Number.isNaN(w)));
  const finite = want.filter((w) => !Number.isNaN(w));
  const scale = Math.max(0, ...finite.map(Math.abs));
  const diff = Math.max(0, ...want.map((w, i) => (Number.isNaN(w) ? 0 : Math.abs((got[i] ?? NaN) - w))));
  return scale > 0 ? diff / scale : diff;
}

const pyBand = (b: Nullable<Band> | undefined): (number | null)[] => (b ? [b.mean, b.min, b.max] : []);
const labBand = (b: Band | undefined): number[] => (b ? [b.mean, b.min, b.max] : []);

function compareSpectrum(py: PyResult['spectrum'], lab: SpectrumRecord, where: string): void {
  expect([py.rows, py.cols, py.reachSize, py.from, py.target], where).toEqual([lab.rows, lab.cols, lab.reachSize, lab.from, lab.target]);
  expect(relErr(py.singularValues, lab.singularValues), `${where}: singular values`).toBeLessThan(TOL);
  expect(relErr(py.reach, lab.reach), `${where}: reach map`).toBeLessThan(TOL);
  expect([py.rank, py.zeros], `${where}: rank, zeros`).toEqual([lab.rank, lab.zeros]);
}

function compareSignal(py: PyResult['signal'], lab: SignalRecord, where: string): void {
  expect(py.pairs).toBe(lab.pairs);
  expect(relErr(pyBand(py.inputCosine), labBand(lab.inputCosine)), `${where}: input cosine`).toBeLessThan(TOL);
  expect(py.layers.map((l) => l.name), where).toEqual(lab.layers.map((l) => l.name));
  lab.layers.forEach((l, i) => {
    const p = py.layers[i];
    expect(relErr(pyBand(p.q), labBand(l.q)), `${where} ${l.name}: q`).toBeLessThan(TOL);
    expect(relErr(pyBand(p.cosine), labBand(l.cosine)), `${where} ${l.name}: cosine`).toBeLessThan(TOL);
    expect(p.signalCosine === undefined, `${where} ${l.name}: signal cosine present`).toBe(l.signalCosine === undefined);
    if (l.signalCosine) expect(relErr(pyBand(p.signalCosine), labBand(l.signalCosine)), `${where} ${l.name}: signal cosine`).toBeLessThan(TOL);
  });
  expect(py.balance.map((b) => b.name)).toEqual(lab.balance.map((b) => b.name));
  lab.balance.forEach((b, i) => {
    // Fixup and SkipInit: exactly 0 on both sides.
    expect(relErr(pyBand(py.balance[i].ratio), labBand(b.ratio)), `${where} ${b.name}: balance`).toBeLessThan(TOL);
  });
}

async function expectAgreement(exp: ExperimentConfig, modes: 'both' | 'experiment'): Promise<PyResult[]> {
  const dir = writePackage(exp);
  const out = join(dir, 'diag.json');
  run(`${README_COMMANDS.diagnostics} --bn-stats ${modes} --out diag.json`, dir);
  const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: PyResult[] }).results;
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as PytorchConfig;
  const data = tinyDataset();
  const d = exp.diagnostics;
  // As a training run draws them (Comparison): the lab's inputs, not the package's.
  const inputs =
    d.signal === 'data'
      ? dataInputs(data, channelStats(data.train, { channels: data.channels, height: data.height, width: data.width }), exp.seed, d.pairs)
      : noiseInputs(exp.seed, data.channels, data.height, { pairs: d.pairs, inputCosine: d.inputCosine });
  const ctx = await gpuTestContext();
  const expectedModes = (bn: boolean): BnStatsMode[] => (modes === 'both' && bn ? ['batch', 'running'] : [d.bnStats]);
  expect(results.map((r) => [r.run, r.bnStats])).toEqual(cfg.runs.flatMap((r) => expectedModes(r.model.batchNorm).map((m) => [r.key, m])));
  for (const r of results) {
    const exportRun = cfg.runs.find((x) => x.key === r.run)!;
    const scheme = exp.schemes.find((s) => s.id === exportRun.scheme)!;
    const req = { ctx, config: exportRun.model, scheme, seed: exp.seed, step: 0, bnStats: r.bnStats, from: d.from, toStage: d.toStage || undefined, inputs };
    const where = `${r.run}, ${r.bnStats}`;
    compareSpectrum(r.spectrum, await measureSpectrumRecord(req), where);
    compareSignal(r.signal, await measureSignalRecord(req), where);
  }
  return results;
}

describe('diagnostics.py agrees with the lab to 1e-4 relative', () => {
  it('Type B with BatchNorm, both modes, training-image pairs: Risotto, He, Fixup, SkipInit', async () => {
    const results = await expectAgreement(experiment('B', true), 'both');
    const of = (run: string, mode: BnStatsMode) => results.find((r) => r.run === run && r.bnStats === mode)!;
    // The two modes are different functions for a BN net (not a vacuous comparison).
    expect(Math.abs(of('he', 'batch').spectrum.singularValues[0]! / of('he', 'running').spectrum.singularValues[0]! - 1)).toBeGreaterThan(0.01);
    for (const r of results.filter((x) => x.run === 'fixup' || x.run === 'skipinit')) for (const b of r.signal.balance) expect(b.ratio.max).toBe(0);
    expect(of('risotto', 'batch').signal.layers.every((l) => l.signalCosine !== undefined)).toBe(true);
  }, 300_000);

  it('Type C with BatchNorm from the stem to the end of stage 2, Gaussian pairs of cosine 0.3', async () => {
    const exp = experiment('C', true);
    exp.diagnostics = { ...exp.diagnostics, from: 'stem', toStage: 2, signal: 'noise', inputCosine: 0.3, pairs: 3 };
    const results = await expectAgreement(exp, 'experiment');
    for (const r of results) {
      expect(r.spectrum.target).toBe('stage 2');
      expect(r.signal.inputCosine.mean).toBeCloseTo(0.3, 6);
    }
  }, 300_000);

  it('Type C bottlenecks behind the ImageNet stem (a max-pool, a raised 9x9 probe): Risotto, He, Fixup, ReZero', async () => {
    const exp = experiment('C', false, undefined, {
      model: { preset: 'custom', blocksPerStage: [1, 2, 1], block: 'bottleneck', stem: 'imagenet', width: 8, skip: 'C', batchNorm: false },
      schemes: [{ id: 'risotto' }, { id: 'he' }, { id: 'fixup' }, { id: 'rezero' }],
    });
    const results = await expectAgreement(exp, 'experiment');
    for (const r of results) expect(r.spectrum.cols).toBe(3 * 9 * 9);
  }, 300_000);

  it('without BatchNorm one measurement per run, in running mode too', async () => {
    const exp = experiment('C', false);
    exp.diagnostics = { ...exp.diagnostics, bnStats: 'running' };
    await expectAgreement(exp, 'both');
  }, 300_000);
});
