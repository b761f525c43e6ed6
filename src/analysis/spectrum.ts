// The Jacobian spectrum diagnostic (docs/science.md section 5): J = d target / d probe at one
// probe input, rows from the GPU, singular values from the eigenvalues of the smaller
// Gram matrix in float64, and the summary numbers the lab shows. The probe and model
// choices live in probe.ts; the GPU rows in engine/webgpu/jacobian.ts.

import type { GpuContext } from '../engine/webgpu/device';
import { GpuJacobian } from '../engine/webgpu/jacobian';
import { initScheme, type InitOptionValues, type InitSchemeId } from '../nn/init/registry';
import type { ResNetModel } from '../nn/resnet';
import type { ResNetConfig } from '../nn/resnetConfig';
import { gramOfColumns, symmetricEigenvalues, transpose } from '../util/linalg';
import { DEFAULT_PROBE_SIZE, makeProbe, probeModel, targetTensor, type ProbeSource, type ProbeTarget } from './probe';

/** float32 machine epsilon: the rows come from float32 arithmetic. */
const EPS_F32 = 2 ** -23;

export interface SpectrumHistogram {
  /** bins + 1 log-spaced edges, ascending, in sigma units. */
  edges: Float64Array;
  /** Non-zero singular values per bin; values outside [edges[0], edges[bins]] count in the end bins. */
  counts: Uint32Array;
}

export interface SpectrumStats {
  /** All min(rows, cols) singular values, descending. */
  singularValues: Float64Array;
  histogram: SpectrumHistogram;
  /** Singular values above max(rows, cols) * eps_f32 * sigma_max. */
  rank: number;
  /** max |sigma - 1| over the non-zero singular values (NaN when there are none). */
  maxAbsDeviation: number;
  /** Mean sigma^2 over all min(rows, cols) values, i.e. |J|_F^2 / min(rows, cols). */
  meanSquared: number;
  /** sigma_max / sigma_min over the non-zero singular values (NaN when there are none). */
  condition: number;
  rows: number;
  cols: number;
}

/** Descending singular values of a row-major rows x cols matrix, via the eigenvalues of
 * J^T J or J J^T, whichever is smaller (tiny negative eigenvalues clamp to 0). */
export function singularValuesOf(j: Float64Array, rows: number, cols: number): Float64Array {
  if (j.length !== rows * cols) throw new Error(`singularValuesOf: ${j.length} values for ${rows} x ${cols}`);
  const wide = rows < cols;
  const [m, n] = wide ? [cols, rows] : [rows, cols];
  const a = wide ? transpose(j, rows, cols) : j;
  const lambda = symmetricEigenvalues(gramOfColumns(a, m, n), n);
  // A NaN from the solver would silently drop out of the rank and statistics: fail instead.
  if (lambda.some(Number.isNaN)) throw new Error(`singularValuesOf: the eigen-solver returned NaN for the ${n} x ${n} Gram matrix`);
  return Float64Array.from(lambda, (x) => Math.sqrt(Math.max(0, x))).reverse();
}

export interface HistogramOptions {
  bins?: number;
  /** [lo, hi] in sigma units; by default the non-zero values' range, at least a decade
   * wide around a single value so an exact isometry shows as one central bar. */
  range?: readonly [number, number];
}

export function spectrumHistogram(nonZero: ArrayLike<number>, opts: HistogramOptions = {}): SpectrumHistogram {
  const bins = opts.bins ?? 40;
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram bins must be a positive integer, got ${bins}`);
  let [lo, hi] = opts.range ?? [Infinity, -Infinity];
  if (!opts.range) for (let i = 0; i < nonZero.length; i++) [lo, hi] = [Math.min(lo, nonZero[i]), Math.max(hi, nonZero[i])];
  if (!(lo > 0 && hi > 0 && Number.isFinite(lo) && Number.isFinite(hi))) [lo, hi] = [0.1, 10];
  let [a, b] = [Math.log10(Math.min(lo, hi)), Math.log10(Math.max(lo, hi))];
  if (b - a < 1) [a, b] = [(a + b) / 2 - 0.5, (a + b) / 2 + 0.5];
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => 10 ** (a + ((b - a) * i) / bins));
  const counts = new Uint32Array(bins);
  for (let i = 0; i < nonZero.length; i++) {
    const t = (Math.log10(nonZero[i]) - a) / (b - a);
    counts[Math.min(bins - 1, Math.max(0, Math.floor(t * bins)))]++;
  }
  return { edges, counts };
}

/** The summary numbers of a spectrum; `sigma` descending, from a rows x cols matrix. */
export function spectrumStats(sigma: Float64Array, rows: number, cols: number, hist: HistogramOptions = {}): SpectrumStats {
  const sigmaMax = sigma.length ? sigma[0] : 0;
  const tol = Math.max(rows, cols) * EPS_F32 * sigmaMax;
  const nonZero = sigma.filter((s) => s > tol);
  let maxAbsDeviation = nonZero.length ? 0 : NaN;
  let sumSq = 0;
  for (const s of sigma) sumSq += s * s;
  for (const s of nonZero) maxAbsDeviation = Math.max(maxAbsDeviation, Math.abs(s - 1));
  return {
    singularValues: sigma,
    histogram: spectrumHistogram(nonZero, hist),
    rank: nonZero.length,
    maxAbsDeviation,
    meanSquared: sigma.length ? sumSq / sigma.length : NaN,
    condition: nonZero.length ? nonZero[0] / nonZero[nonZero.length - 1] : NaN,
    rows,
    cols,
  };
}

export interface SpectrumMeterSpec {
  /** Built at the probe's size (probeModel); its batch is how many rows one GPU run gives. */
  model: ResNetModel;
  /** Every param, const and state value (float64 from an init scheme, or float32 read back). */
  values: ReadonlyMap<number, Float32Array | Float64Array>;
  target?: ProbeTarget;
  histogram?: HistogramOptions;
}

/** A compiled Jacobian for one model and target, re-measured at will (e.g. at chosen
 * training steps after setValues). Call destroy() when done. */
export class SpectrumMeter {
  private readonly jac: GpuJacobian;
  readonly target: number;

  constructor(
    ctx: GpuContext,
    private readonly spec: SpectrumMeterSpec,
  ) {
    this.target = targetTensor(spec.model, spec.target);
    this.jac = new GpuJacobian(ctx, { graph: spec.model.graph, input: spec.model.input, target: this.target, values: spec.values });
  }

  setValues(values: SpectrumMeterSpec['values']): void {
    this.jac.setValues(values);
  }

  /** The spectrum at `probe` (C x P x P values). */
  async measure(probe: ArrayLike<number>): Promise<SpectrumStats> {
    const j = await this.jac.rows(probe);
    const { rowCount: m, colCount: n } = this.jac;
    return spectrumStats(singularValuesOf(j, m, n), m, n, this.spec.histogram);
  }

  destroy(): void {
    this.jac.destroy();
  }
}

/** One-shot: compile, measure at `probe`, free. */
export async function measureSpectrum(ctx: GpuContext, spec: SpectrumMeterSpec & { probe: ArrayLike<number> }): Promise<SpectrumStats> {
  const meter = new SpectrumMeter(ctx, spec);
  try {
    return await meter.measure(spec.probe);
  } finally {
    meter.destroy();
  }
}

export interface SchemeSpectrumRequest {
  ctx: GpuContext;
  /** The architecture; the scheme's configFor is applied, as the runner does. */
  config: ResNetConfig;
  scheme: InitSchemeId;
  schemeOptions?: InitOptionValues;
  seed: number;
  /** Default: Gaussian noise from the probe stream of `seed`. */
  probe?: ProbeSource;
  /** P (default 8). */
  probeSize?: number;
  target?: ProbeTarget;
  /** Jacobian rows per GPU run (default 64, at most the row count): fewer, bigger runs
   * pay the per-dispatch cost less often. */
  batch?: number;
  histogram?: HistogramOptions;
}

/** The spectrum of a freshly initialised network: what a CLI or the runner calls. */
export async function spectrumForScheme(req: SchemeSpectrumRequest): Promise<SpectrumStats & { config: ResNetConfig }> {
  const scheme = initScheme(req.scheme);
  const size = req.probeSize ?? DEFAULT_PROBE_SIZE;
  const config = { ...scheme.configFor(req.config), inputSize: size };
  // Rows per example do not depend on the batch: size the batch from a batch-1 build.
  const one = probeModel(config, size, 1);
  const rowsPerExample = one.graph.tensors[targetTensor(one, req.target)].shape.slice(1).reduce((a, b) => a * b, 1);
  const model = probeModel(config, size, Math.max(1, Math.min(req.batch ?? 64, rowsPerExample)));
  const values = scheme.init(model, req.seed, req.schemeOptions);
  const probe = makeProbe(req.probe ?? { kind: 'noise', seed: req.seed }, config.inputChannels, size);
  const stats = await measureSpectrum(req.ctx, { model, values, target: req.target, histogram: req.histogram, probe });
  return { ...stats, config };
}
