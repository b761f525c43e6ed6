// Signal propagation through depth and branch balance, from one eval-mode GPU forward
// pass over K pairs of inputs: after the stem and after every block the mean square per
// unit q = |x|^2 / numel(x), the cosine of the two inputs' activations and, for
// looks-linear schemes, the cosine of their signals d = x_top - x_bottom; per block
// |a_res F(x)| / |a_skip S(x)|. Each as the mean over pairs (inputs) with a min-max
// band. Also the per-parameter gradient norms of a training step grouped by block.

import type { GpuContext } from '../engine';
import { GpuActivationProbe } from '../engine';
import { initScheme, type InitOptionValues, type InitSchemeId, buildResNet, type ResNetModel } from '../nn';
import type { ResNetConfig } from '../nn';
import { RandomStream, Streams } from '../util';
import { noiseReferenceBatch, valuesForBnMode, type BnStatsMode } from './bnStats';

/** RISOTTO's default: 8 pairs. */
export const DEFAULT_SIGNAL_PAIRS = 8;

/** Mean over the measured items with their range. */
export interface Band {
  mean: number;
  min: number;
  max: number;
}

export function band(values: readonly number[]): Band {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, min: NaN, max: NaN };
  return { mean: finite.reduce((a, b) => a + b, 0) / finite.length, min: Math.min(...finite), max: Math.max(...finite) };
}

export interface LayerSignal {
  /** 'stem' or the block's scope, e.g. "stage1.block0". */
  name: string;
  /** 0 for the stem, i + 1 for block i. */
  depth: number;
  /** Mean square per unit, over the 2K inputs. */
  q: Band;
  /** Cosine of the two inputs' activations, over the K pairs. */
  cosine: Band;
  /** Looks-linear schemes: cosine of the signals d = x_top - x_bottom (channel halves). */
  signalCosine?: Band;
}

export interface BlockBalance {
  /** Global block index. */
  block: number;
  name: string;
  /** |a_res F(x)| / |a_skip S(x)| per input, over the 2K inputs. */
  ratio: Band;
}

export interface SignalPropagation {
  /** Cosine of the two inputs of each pair. */
  inputCosine: Band;
  pairs: number;
  /** The stem, then every block in order. */
  layers: LayerSignal[];
  balance: BlockBalance[];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [na, nb] = [Math.sqrt(dot(a, a)), Math.sqrt(dot(b, b))];
  return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : NaN;
}

/** d = x_top - x_bottom of one example's C x H x W activation (C even). */
function looksLinearSignal(x: ArrayLike<number>, channels: number): Float64Array {
  const half = (x.length / 2) | 0;
  if (channels % 2 !== 0) throw new Error(`looks-linear signal needs an even channel count, got ${channels}`);
  const d = new Float64Array(half);
  for (let i = 0; i < half; i++) d[i] = x[i] - x[half + i];
  return d;
}

function blockName(model: ResNetModel, i: number): string {
  const b = model.blocks[i];
  return `stage${b.stage}.block${b.indexInStage}`;
}

export interface SignalSpec {
  /** Built at batch 2K: slot 2i holds pair i's first input, 2i + 1 its second. */
  model: ResNetModel;
  values: ReadonlyMap<number, Float32Array | Float64Array>;
  pairs: readonly (readonly [ArrayLike<number>, ArrayLike<number>])[];
  /** Also report the looks-linear signal cosine. */
  looksLinear?: boolean;
}

export async function measureSignalPropagation(ctx: GpuContext, spec: SignalSpec): Promise<SignalPropagation> {
  const { model, values, pairs } = spec;
  const k = pairs.length;
  if (k < 1 || model.batch !== 2 * k)
    throw new Error(`measureSignalPropagation: ${k} pairs need a model built at batch ${2 * k} (got ${model.batch})`);
  const per = model.graph.tensors[model.input].shape.slice(1).reduce((x, y) => x * y, 1);
  const x = new Float32Array(2 * k * per);
  pairs.forEach(([a, b], i) => {
    for (const v of [a, b])
      if (v.length !== per) throw new Error(`measureSignalPropagation: an input has ${v.length} values, the model takes ${per}`);
    x.set(Array.from(a), 2 * i * per);
    x.set(Array.from(b), (2 * i + 1) * per);
  });
  const layerIds = [model.stemOutput, ...model.blocks.map((b) => b.output)];
  const branchIds = model.blocks.flatMap((b) => [b.residual, b.skipPath]);
  const outputs = [...new Set([...layerIds, ...branchIds])];
  const probe = new GpuActivationProbe(ctx, { graph: model.graph, input: model.input, outputs, values });
  try {
    const acts = await probe.run(x);
    const byId = new Map(outputs.map((id, i) => [id, acts[i]]));
    const example = (id: number, e: number) => {
      const all = byId.get(id)!;
      const n = all.length / (2 * k);
      return all.subarray(e * n, (e + 1) * n);
    };
    const layers = layerIds.map((id, depth): LayerSignal => {
      const channels = model.graph.tensors[id].shape[1];
      const ex = Array.from({ length: 2 * k }, (_, e) => example(id, e));
      const pairIdx = Array.from({ length: k }, (_, i) => i);
      const layer: LayerSignal = {
        name: depth === 0 ? 'stem' : blockName(model, depth - 1),
        depth,
        q: band(ex.map((v) => dot(v, v) / v.length)),
        cosine: band(pairIdx.map((i) => cosine(ex[2 * i], ex[2 * i + 1]))),
      };
      if (spec.looksLinear && channels % 2 === 0) {
        layer.signalCosine = band(
          pairIdx.map((i) => cosine(looksLinearSignal(ex[2 * i], channels), looksLinearSignal(ex[2 * i + 1], channels))),
        );
      }
      return layer;
    });
    const balance = model.blocks.map((b, i): BlockBalance => {
      const ratios = Array.from({ length: 2 * k }, (_, e) => {
        const [r, s] = [example(b.residual, e), example(b.skipPath, e)];
        const [nr, ns] = [Math.sqrt(dot(r, r)), Math.sqrt(dot(s, s))];
        return ns > 0 ? nr / ns : nr > 0 ? Infinity : NaN;
      });
      return { block: i, name: blockName(model, i), ratio: band(ratios) };
    });
    return { inputCosine: band(pairs.map(([a, b]) => cosine(a, b))), pairs: k, layers, balance };
  } finally {
    probe.destroy();
  }
}

/** K pairs of Gaussian inputs (n values each) whose cosine is exactly `inputCosine`:
 * a = u, b = c u + sqrt(1 - c^2) v with u, v orthogonal and |u| = |v| = sqrt(n). */
export function gaussianPairs(seed: number, k: number, n: number, inputCosine = 0): [Float64Array, Float64Array][] {
  if (!(inputCosine >= -1 && inputCosine <= 1)) throw new Error(`input cosine must be in [-1, 1], got ${inputCosine}`);
  const rng = new RandomStream(seed, Streams.probe).fork(3);
  return Array.from({ length: k }, () => {
    const u = rng.normalArray(n);
    const v = rng.normalArray(n);
    const uu = dot(u, u);
    const proj = dot(u, v) / uu;
    for (let i = 0; i < n; i++) v[i] -= proj * u[i];
    const [su, sv] = [Math.sqrt(n / uu), Math.sqrt(n / dot(v, v))];
    const s = Math.sqrt(Math.max(0, 1 - inputCosine * inputCosine));
    const a = u.map((x) => x * su);
    const b = a.map((x, i) => inputCosine * x + s * v[i] * sv);
    return [a, b];
  });
}

export interface SchemeSignalRequest {
  ctx: GpuContext;
  /** The architecture; the scheme's configFor is applied, as the runner does. */
  config: ResNetConfig;
  scheme: InitSchemeId;
  schemeOptions?: InitOptionValues;
  seed: number;
  /** Default: DEFAULT_SIGNAL_PAIRS Gaussian pairs of cosine `inputCosine` (default 0). */
  pairs?: readonly (readonly [ArrayLike<number>, ArrayLike<number>])[];
  inputCosine?: number;
  /** Default 'batch', over a reference batch of noise at the input size. */
  bnStats?: BnStatsMode;
  /** The reference batch (N x C x S x S) for 'batch' mode; default Gaussian noise. */
  reference?: Float32Array | Float64Array;
}

/** Signal propagation of a freshly initialised network at the config's input size. */
export async function signalForScheme(req: SchemeSignalRequest): Promise<SignalPropagation & { config: ResNetConfig }> {
  const scheme = initScheme(req.scheme);
  const config = scheme.configFor(req.config);
  const per = config.inputChannels * config.inputSize ** 2;
  const pairs = req.pairs ?? gaussianPairs(req.seed, DEFAULT_SIGNAL_PAIRS, per, req.inputCosine ?? 0);
  const model = buildResNet(config, 2 * pairs.length);
  const init = scheme.init(model, req.seed, req.schemeOptions);
  const reference = req.reference ?? noiseReferenceBatch(req.seed, config.inputChannels, config.inputSize);
  const values = await valuesForBnMode(req.ctx, req.bnStats ?? 'batch', { config, size: config.inputSize, values: init, reference });
  return { ...(await measureSignalPropagation(req.ctx, { model, values, pairs, looksLinear: scheme.looksLinear })), config };
}

export interface BlockGradNorms {
  stem: number;
  /** One L2 norm per residual block, in block order. */
  blocks: Float64Array;
  head: number;
}

/** Groups per-parameter gradient norms (StepMetrics.paramGradNorms: one per trainable
 * parameter, in graph order as the train session lists them) into L2 norms per block. */
export function gradNormsByBlock(model: ResNetModel, paramGradNorms: ArrayLike<number>): BlockGradNorms {
  const params = model.graph.tensors.filter((t) => t.role === 'param');
  if (paramGradNorms.length !== params.length)
    throw new Error(`gradNormsByBlock: ${paramGradNorms.length} norms for ${params.length} trainable parameters`);
  const info = new Map(model.params.map((p) => [p.id, p]));
  const sq = { stem: 0, head: 0, blocks: new Float64Array(model.blocks.length) };
  params.forEach((t, i) => {
    const g2 = paramGradNorms[i] ** 2;
    const block = info.get(t.id)?.block;
    if (block !== undefined) sq.blocks[block] += g2;
    else if (t.name.startsWith('head.')) sq.head += g2;
    else sq.stem += g2;
  });
  return { stem: Math.sqrt(sq.stem), blocks: sq.blocks.map(Math.sqrt), head: Math.sqrt(sq.head) };
}
