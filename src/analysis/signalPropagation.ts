// Signal propagation through depth (docs/science.md section 5): for two inputs, the norm of
// each one's output after the stem and after every block, and the cosine similarity of
// the two ("separability with depth"), from one eval-mode GPU forward pass; and the
// per-parameter gradient norms of a training step grouped by block.

import type { GpuContext } from '../engine/webgpu/device';
import { GpuActivationProbe } from '../engine/webgpu/activationProbe';
import { initScheme, type InitOptionValues, type InitSchemeId } from '../nn/init/registry';
import { buildResNet, type ResNetModel } from '../nn/resnet';
import type { ResNetConfig } from '../nn/resnetConfig';
import { RandomStream, Streams } from '../util/prng';

export interface LayerSignal {
  /** 'stem' or the block's scope, e.g. "stage1.block0". */
  name: string;
  /** 0 for the stem, i + 1 for block i. */
  depth: number;
  normA: number;
  normB: number;
  /** <a, b> / (|a| |b|); NaN when either output is all zero. */
  cosine: number;
}

export interface SignalPropagation {
  /** Cosine of the two inputs themselves, for reference. */
  inputCosine: number;
  /** The stem, then every block in order. */
  layers: LayerSignal[];
}

function compare(a: ArrayLike<number>, b: ArrayLike<number>): { normA: number; normB: number; cosine: number } {
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < a.length; i++) {
    aa += a[i] * a[i];
    bb += b[i] * b[i];
    ab += a[i] * b[i];
  }
  const [normA, normB] = [Math.sqrt(aa), Math.sqrt(bb)];
  return { normA, normB, cosine: normA > 0 && normB > 0 ? ab / (normA * normB) : NaN };
}

/** `model` must be built at batch 2 (slot 0 = a, slot 1 = b; eval mode keeps them apart). */
export async function measureSignalPropagation(
  ctx: GpuContext,
  spec: { model: ResNetModel; values: ReadonlyMap<number, Float32Array | Float64Array>; inputs: readonly [ArrayLike<number>, ArrayLike<number>] },
): Promise<SignalPropagation> {
  const { model, values, inputs } = spec;
  if (model.batch !== 2) throw new Error(`measureSignalPropagation: build the model at batch 2 (got ${model.batch})`);
  const per = model.graph.tensors[model.input].shape.slice(1).reduce((x, y) => x * y, 1);
  for (const x of inputs) if (x.length !== per) throw new Error(`measureSignalPropagation: an input has ${x.length} values, the model takes ${per}`);
  const x = new Float32Array(2 * per);
  x.set(Array.from(inputs[0]), 0);
  x.set(Array.from(inputs[1]), per);
  const outputs = [model.stemOutput, ...model.blocks.map((b) => b.output)];
  const probe = new GpuActivationProbe(ctx, { graph: model.graph, input: model.input, outputs, values });
  try {
    const acts = await probe.run(x);
    const layers = acts.map((act, i): LayerSignal => {
      const half = act.length / 2;
      const name = i === 0 ? 'stem' : `stage${model.blocks[i - 1].stage}.block${model.blocks[i - 1].indexInStage}`;
      return { name, depth: i, ...compare(act.subarray(0, half), act.subarray(half)) };
    });
    return { inputCosine: compare(inputs[0], inputs[1]).cosine, layers };
  } finally {
    probe.destroy();
  }
}

export interface SchemeSignalRequest {
  ctx: GpuContext;
  /** The architecture; the scheme's configFor is applied, as the runner does. */
  config: ResNetConfig;
  scheme: InitSchemeId;
  schemeOptions?: InitOptionValues;
  seed: number;
  /** Default: two independent Gaussian noise images from the probe stream of `seed`. */
  inputs?: readonly [ArrayLike<number>, ArrayLike<number>];
}

/** Signal propagation of a freshly initialised network at the config's input size. */
export async function signalForScheme(req: SchemeSignalRequest): Promise<SignalPropagation & { config: ResNetConfig }> {
  const scheme = initScheme(req.scheme);
  const config = scheme.configFor(req.config);
  const model = buildResNet(config, 2);
  const values = scheme.init(model, req.seed, req.schemeOptions);
  const per = config.inputChannels * config.inputSize ** 2;
  const rng = new RandomStream(req.seed, Streams.probe).fork(1);
  const inputs = req.inputs ?? ([rng.normalArray(per), rng.normalArray(per)] as const);
  return { ...(await measureSignalPropagation(req.ctx, { model, values, inputs })), config };
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
  if (paramGradNorms.length !== params.length) throw new Error(`gradNormsByBlock: ${paramGradNorms.length} norms for ${params.length} trainable parameters`);
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
