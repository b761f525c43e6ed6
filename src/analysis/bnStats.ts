// The BatchNorm mode of every diagnostic: "batch"
// statistics normalise each BN layer with the per-channel mean and biased variance of a
// fixed reference batch, held constant when differentiating; "running" statistics are
// the inference function (at step 0 the identity). Batch mode is realised by writing the
// reference batch's statistics into the running-stat slots, so every eval-mode probe
// (Jacobian, activations) then measures the network being trained.

import type { GpuContext, Graph } from '../engine';
import { GpuActivationProbe, runForward } from '../engine';
import type { ResNetConfig } from '../nn';
import { RandomStream, Streams } from '../util';
import { probeModel } from './probe';

export type BnStatsMode = 'batch' | 'running';
export const BN_STATS_MODES: readonly BnStatsMode[] = ['batch', 'running'];

/** N of the reference batch. */
export const REFERENCE_BATCH = 32;

export type TensorValues = ReadonlyMap<number, Float32Array | Float64Array>;

interface BnLayer {
  /** The BN's input activation (what its batch statistics are taken over). */
  x: number;
  runningMean: number;
  runningVar: number;
}

export function bnLayers(graph: Graph): BnLayer[] {
  return graph.nodes
    .filter((n) => n.op === 'batchNorm')
    .map((n) => ({ x: n.inputs[0], runningMean: n.inputs[3], runningVar: n.inputs[4] }));
}

/** Per-channel mean and biased variance (what train-mode BN divides by) of an NCHW
 * array, in float64. */
export function channelMoments(x: ArrayLike<number>, shape: readonly number[]): { mean: Float64Array; variance: Float64Array } {
  const [n, c] = shape;
  const hw = shape.slice(2).reduce((a, b) => a * b, 1);
  if (x.length !== n * c * hw) throw new Error(`channelMoments: ${x.length} values for shape [${shape.join(',')}]`);
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const m = n * hw;
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let i = 0; i < n; i++) for (let k = 0, o = (i * c + ch) * hw; k < hw; k++) s += x[o + k];
    const mu = s / m;
    let ss = 0;
    for (let i = 0; i < n; i++) for (let k = 0, o = (i * c + ch) * hw; k < hw; k++) ss += (x[o + k] - mu) ** 2;
    mean[ch] = mu;
    variance[ch] = ss / m;
  }
  return { mean, variance };
}

/** N Gaussian images (C x S x S each) from the probe stream of `seed`, fork 2: the
 * reference batch of a noise probe. */
export function noiseReferenceBatch(seed: number, channels: number, size: number, n = REFERENCE_BATCH): Float64Array {
  return new RandomStream(seed, Streams.probe).fork(2).normalArray(n * channels * size * size);
}

function withStats(
  values: TensorValues,
  layers: readonly BnLayer[],
  inputs: readonly ArrayLike<number>[],
  shapes: readonly (readonly number[])[],
): TensorValues {
  const out = new Map(values);
  layers.forEach((l, i) => {
    const { mean, variance } = channelMoments(inputs[i], shapes[i]);
    out.set(l.runningMean, mean);
    out.set(l.runningVar, variance);
  });
  return out;
}

export interface BatchStatsRequest {
  /** The architecture (after the scheme's configFor); the reference batch's model is
   * built from it at `size`, so its tensor ids match any other build of the config. */
  config: ResNetConfig;
  /** Side of the reference images (the probe's size). */
  size: number;
  values: TensorValues;
  /** N x C x size x size reference inputs, normalised like the probe. */
  reference: Float32Array | Float64Array;
}

function referenceModel(req: BatchStatsRequest) {
  const per = req.config.inputChannels * req.size * req.size;
  const n = req.reference.length / per;
  if (!Number.isInteger(n) || n < 2)
    throw new Error(
      `the reference batch must hold at least 2 images of ${req.config.inputChannels} x ${req.size} x ${req.size}, got ${req.reference.length} values`,
    );
  return probeModel(req.config, req.size, n);
}

/** `values` for the chosen mode: unchanged for 'running' (and for a net without BN),
 * else with every BN's running stats replaced by the reference batch's statistics,
 * computed on the GPU by one train-mode forward pass. */
export async function valuesForBnMode(ctx: GpuContext, mode: BnStatsMode, req: BatchStatsRequest): Promise<TensorValues> {
  if (mode === 'running' || !req.config.batchNorm) return req.values;
  const model = referenceModel(req);
  const layers = bnLayers(model.graph);
  if (layers.length === 0) return req.values;
  const probe = new GpuActivationProbe(ctx, {
    graph: model.graph,
    input: model.input,
    outputs: layers.map((l) => l.x),
    values: req.values,
    mode: 'train',
  });
  try {
    const acts = await probe.run(req.reference);
    return withStats(
      req.values,
      layers,
      acts,
      layers.map((l) => model.graph.tensors[l.x].shape),
    );
  } finally {
    probe.destroy();
  }
}

/** The float64 CPU reference of valuesForBnMode (tests). */
export function valuesForBnModeCpu(mode: BnStatsMode, req: BatchStatsRequest): TensorValues {
  if (mode === 'running' || !req.config.batchNorm) return req.values;
  const model = referenceModel(req);
  const layers = bnLayers(model.graph);
  const vals = new Map<number, Float64Array>();
  for (const t of model.graph.tensors) {
    if (t.role === 'input') vals.set(t.id, Float64Array.from(req.reference));
    else if (t.role === 'label') vals.set(t.id, new Float64Array(t.shape[0]));
    else if (t.role !== 'activation') vals.set(t.id, Float64Array.from(req.values.get(t.id) ?? fail(t.name)));
  }
  const pass = runForward(model.graph, vals, 'train');
  return withStats(
    req.values,
    layers,
    layers.map((l) => pass.value(l.x)),
    layers.map((l) => model.graph.tensors[l.x].shape),
  );
}

function fail(name: string): never {
  throw new Error(`no value for ${name}`);
}
