// The Jacobian spectrum diagnostic: J = d target / d probe at one probe input, rows from
// the GPU, singular values from the eigenvalues of the smaller Gram matrix in float64,
// the summary numbers the lab shows (numerical rank with its threshold, zeros counted)
// and the reach map (which input pixels move the target). The probe and model choices
// live in probe.ts; the GPU rows in engine/webgpu/jacobian.ts.

import type { GpuContext } from '../engine';
import { GpuActivationProbe, rootedAt, GpuJacobian } from '../engine';
import { initScheme, type InitOptionValues, type InitSchemeId, CONV_KINDS } from '../nn';
import type { ResNetModel, ResNetConfig } from '../nn';
import { gramOfColumns, symmetricEigenvalues, transpose } from '../util';
import { noiseReferenceBatch, valuesForBnMode, type BnStatsMode } from './bnStats';
import { makeProbe, probeSizeFor, probeModel, targetTensor, type ProbeSource, type ProbeTarget } from './probe';

/** Numerical rank: singular values above this fraction of sigma_max count as non-zero. */
export const RANK_RTOL = 1e-6;

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
  /** Singular values above rankThreshold. */
  rank: number;
  /** RANK_RTOL * sigma_max. */
  rankThreshold: number;
  /** min(rows, cols) - rank: counted, never drawn. */
  zeros: number;
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
  const tol = RANK_RTOL * sigmaMax;
  const nonZero = sigma.filter((s) => s > tol);
  let maxAbsDeviation = nonZero.length ? 0 : NaN;
  let sumSq = 0;
  for (const s of sigma) sumSq += s * s;
  for (const s of nonZero) maxAbsDeviation = Math.max(maxAbsDeviation, Math.abs(s - 1));
  return {
    singularValues: sigma,
    histogram: spectrumHistogram(nonZero, hist),
    rank: nonZero.length,
    rankThreshold: tol,
    zeros: sigma.length - nonZero.length,
    maxAbsDeviation,
    meanSquared: sigma.length ? sumSq / sigma.length : NaN,
    condition: nonZero.length ? nonZero[0] / nonZero[nonZero.length - 1] : NaN,
    rows,
    cols,
  };
}

/** For each input pixel, the norm of its columns of J (every channel at that pixel):
 * how much that pixel moves the target. J is rows x (channels * size * size), row-major. */
function reachMap(j: Float64Array, rows: number, channels: number, size: number): Float64Array {
  const pixels = size * size;
  const cols = channels * pixels;
  if (j.length !== rows * cols) throw new Error(`reachMap: ${j.length} values for ${rows} x ${cols}`);
  const out = new Float64Array(pixels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const o = r * cols + c * pixels;
      for (let p = 0; p < pixels; p++) out[p] += j[o + p] * j[o + p];
    }
  }
  return out.map(Math.sqrt);
}

/** Where the Jacobian starts: the input image, or the stem's output (blocks only, so
 * schemes with different stems compare). */
export type SpectrumFrom = 'image' | 'stem';

/** The rank delta kernels allow: when every conv of the model has zero off-centre taps,
 * each target pixel sees exactly one input pixel, so rank <= channels x target pixels
 * (C_in (P / 2^k)^2 after k stride-2 stages). Undefined when some kernel reaches
 * neighbours. */
export interface DeltaRank {
  /** channels x side^2. */
  rank: number;
  /** Input channels that reach the target (at most the target's). */
  channels: number;
  /** The target's side: that many pixels per dimension reach it. */
  side: number;
}

function deltaKernelRank(
  model: ResNetModel,
  values: SpectrumMeterSpec['values'],
  from: SpectrumFrom,
  target: number,
): DeltaRank | undefined {
  // A max-pool between image and target picks pixels by value, not by position.
  if (from === 'image' && model.graph.nodes.some((n) => n.op === 'maxPool')) return undefined;
  for (const p of model.params) {
    if (!CONV_KINDS.has(p.kind)) continue;
    const [cout, cin, kh, kw] = p.shape;
    if (kh === 1 && kw === 1) continue;
    const w = values.get(p.id);
    if (!w) return undefined;
    const centre = ((kh - 1) / 2) * kw + (kw - 1) / 2;
    for (let o = 0; o < cout * cin; o++) for (let t = 0; t < kh * kw; t++) if (t !== centre && w[o * kh * kw + t] !== 0) return undefined;
  }
  const start = model.graph.tensors[from === 'stem' ? model.stemOutput : model.input].shape;
  const end = model.graph.tensors[target].shape;
  const channels = Math.min(start[1], end[1]);
  return { rank: channels * end[2] * end[3], channels, side: end[2] };
}

export interface SpectrumMeasurement extends SpectrumStats {
  /** P x P, row-major: reachMap of J. */
  reach: Float64Array;
  reachSize: number;
  from: SpectrumFrom;
  /** deltaKernelRank at these values, when the kernels are delta kernels. */
  deltaRank?: DeltaRank;
}

export interface SpectrumMeterSpec {
  /** Built at the probe's size (probeModel); its batch is how many rows one GPU run gives. */
  model: ResNetModel;
  /** Every param, const and state value (float64 from an init scheme, or float32 read back). */
  values: ReadonlyMap<number, Float32Array | Float64Array>;
  target?: ProbeTarget;
  from?: SpectrumFrom;
  histogram?: HistogramOptions;
}

/** A compiled Jacobian for one model and target, re-measured at will (e.g. at chosen
 * training steps after setValues). Call destroy() when done. */
export class SpectrumMeter {
  private readonly jac: GpuJacobian;
  private readonly stemProbe?: GpuActivationProbe;
  private values: SpectrumMeterSpec['values'];
  readonly target: number;
  readonly from: SpectrumFrom;

  constructor(
    ctx: GpuContext,
    private readonly spec: SpectrumMeterSpec,
  ) {
    const { model } = spec;
    this.target = targetTensor(model, spec.target);
    this.from = spec.from ?? 'image';
    this.values = spec.values;
    if (this.from === 'image') {
      this.jac = new GpuJacobian(ctx, { graph: model.graph, input: model.input, target: this.target, values: spec.values });
      return;
    }
    if (this.target === model.stemOutput)
      throw new Error('a spectrum from the stem needs a target after it (a block or stage), not the stem itself');
    // The Jacobian is taken at the stem's output for the probe image: one batch-1 forward.
    const one = probeModel(model.config, model.graph.tensors[model.input].shape[2], 1);
    this.stemProbe = new GpuActivationProbe(ctx, { graph: one.graph, input: one.input, outputs: [one.stemOutput], values: spec.values });
    try {
      this.jac = new GpuJacobian(ctx, {
        graph: rootedAt(model.graph, model.stemOutput),
        input: model.stemOutput,
        target: this.target,
        values: spec.values,
      });
    } catch (e) {
      this.stemProbe.destroy();
      throw e;
    }
  }

  setValues(values: SpectrumMeterSpec['values']): void {
    this.jac.setValues(values);
    this.stemProbe?.setValues(values);
    this.values = values;
  }

  /** The spectrum at `probe` (C x P x P image values). */
  async measure(probe: ArrayLike<number>): Promise<SpectrumMeasurement> {
    const at = this.stemProbe ? (await this.stemProbe.run(Float32Array.from(probe)))[0] : probe;
    const j = await this.jac.rows(at);
    const { rowCount: m, colCount: n } = this.jac;
    const { model } = this.spec;
    const startShape = model.graph.tensors[this.stemProbe ? model.stemOutput : model.input].shape;
    const stats = spectrumStats(singularValuesOf(j, m, n), m, n, this.spec.histogram);
    return {
      ...stats,
      reach: reachMap(j, m, startShape[1], startShape[2]),
      reachSize: startShape[2],
      from: this.from,
      deltaRank: deltaKernelRank(model, this.values, this.from, this.target),
    };
  }

  destroy(): void {
    this.jac.destroy();
    this.stemProbe?.destroy();
  }
}

/** One-shot: compile, measure at `probe`, free. */
export async function measureSpectrum(
  ctx: GpuContext,
  spec: SpectrumMeterSpec & { probe: ArrayLike<number> },
): Promise<SpectrumMeasurement> {
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
  from?: SpectrumFrom;
  /** Default 'batch': BN layers use the statistics of a reference batch of noise. */
  bnStats?: BnStatsMode;
  /** Jacobian rows per GPU run (default 64, at most the row count): fewer, bigger runs
   * pay the per-dispatch cost less often. */
  batch?: number;
  histogram?: HistogramOptions;
}

/** The spectrum of a freshly initialised network: what a CLI or the runner calls. */
export async function spectrumForScheme(req: SchemeSpectrumRequest): Promise<SpectrumMeasurement & { config: ResNetConfig }> {
  const scheme = initScheme(req.scheme);
  const size = probeSizeFor(req.config, req.probeSize);
  const config = { ...scheme.configFor(req.config), inputSize: size };
  // Rows per example do not depend on the batch: size the batch from a batch-1 build.
  const one = probeModel(config, size, 1);
  const rowsPerExample = one.graph.tensors[targetTensor(one, req.target)].shape.slice(1).reduce((a, b) => a * b, 1);
  const model = probeModel(config, size, Math.max(1, Math.min(req.batch ?? 64, rowsPerExample)));
  const init = scheme.init(model, req.seed, req.schemeOptions);
  const reference = noiseReferenceBatch(req.seed, config.inputChannels, size);
  const values = await valuesForBnMode(req.ctx, req.bnStats ?? 'batch', { config, size, values: init, reference });
  const probe = makeProbe(req.probe ?? { kind: 'noise', seed: req.seed }, config.inputChannels, size);
  const stats = await measureSpectrum(req.ctx, { model, values, target: req.target, from: req.from, histogram: req.histogram, probe });
  return { ...stats, config };
}
