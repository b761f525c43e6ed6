// The lab's first training steps for the export's parity check: PARITY_STEPS updates
// with the experiment's optimizer (SGD / Nesterov / Adam / AdamW, weight decay,
// clipping, the scalar parameter group) and scheduled learning rates on the probe batch, from the float64 CPU
// reference; with mixup, each step's probe batch is mixed by that step's draw (mixup's
// two-label loss). Reports each step's loss and, per trainable tensor, the L2 norm of its
// change and its first values' changes, so PyTorch can check the same hyperparameters.

import { applyMix, type MixDraw } from '../../data';
import { lossAndGradients, adamStep, clipGradNorm, sgdStep, paramHyper } from '../../engine';
import { toOptimizerSpec, type OptimizerConfig, buildResNet } from '../../nn';
import type { ResNetConfig } from '../../nn';
import { graphValues, PARITY_BATCH } from './parity';

export const PARITY_STEPS = 2;
/** Leading values per tensor whose change is compared one by one. */
const PARITY_SAMPLE = 64;

export interface StepParity {
  losses: number[];
  /** Trainable tensors, in graph order. */
  names: string[];
  deltaNorms: Float64Array;
  /** name -> the change of its first PARITY_SAMPLE values. */
  deltaSamples: Map<string, Float64Array>;
}

export function parityLabels(classes: number): Float64Array {
  return Float64Array.from({ length: PARITY_BATCH }, (_, i) => (i * 3 + 1) % classes);
}

/** `schemeScalarLr`: the scheme's default share of the learning rate for its scalar
 * parameters (the scalar parameter group, see OptimizerConfig.scalarLr). `mixes`: one
 * mixup draw per step, when the experiment mixes. */
export function parityTrainSteps(
  config: ResNetConfig,
  values: ReadonlyMap<string, Float32Array>,
  input: Float32Array,
  optimizer: OptimizerConfig,
  lrs: readonly number[],
  schemeScalarLr = 1,
  mixes?: readonly MixDraw[],
): StepParity {
  if (mixes && mixes.length !== lrs.length) throw new Error(`parityTrainSteps: ${lrs.length} steps need ${lrs.length} mixup draws, got ${mixes.length}`);
  const model = buildResNet(config, PARITY_BATCH, { mixup: !!mixes });
  const spec = toOptimizerSpec(optimizer, schemeScalarLr);
  const v = graphValues(model, values, input, parityLabels(config.numClasses));
  const params = model.graph.tensors.filter((t) => t.role === 'param');
  const before = new Map(params.map((t) => [t.id, Float64Array.from(v.get(t.id)!)]));
  const state = new Map(params.map((t) => [t.id, [new Float64Array(v.get(t.id)!.length), new Float64Array(v.get(t.id)!.length)]]));
  const losses: number[] = [];
  lrs.forEach((lr, i) => {
    if (mixes && model.mix) mixProbe(v, model.input, model.labels, model.mix, input, parityLabels(config.numClasses), mixes[i]);
    const { loss, grads } = lossAndGradients(model.graph, v, model.loss, 'train', params.map((t) => t.id));
    losses.push(loss);
    if (spec.clipNorm) clipGradNorm(params.map((t) => grads.get(t.id)!), spec.clipNorm);
    for (const t of params) {
      const [a, b] = state.get(t.id)!;
      const h = paramHyper(spec, t.shape, lr);
      if (spec.kind === 'sgd') sgdStep(v.get(t.id)!, grads.get(t.id)!, a, { lr: h.lr, momentum: spec.momentum, weightDecay: h.weightDecay, dampening: spec.dampening ?? 0, nesterov: spec.nesterov, firstStep: i === 0 });
      else adamStep(v.get(t.id)!, grads.get(t.id)!, a, b, { lr: h.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, weightDecay: h.weightDecay, decoupled: spec.decoupled, step: i + 1 });
    }
  });
  const deltaSamples = new Map<string, Float64Array>();
  const deltaNorms = Float64Array.from(params, (t) => {
    const after = v.get(t.id)!;
    const start = before.get(t.id)!;
    const d = after.map((x, k) => x - start[k]);
    deltaSamples.set(t.name, d.slice(0, PARITY_SAMPLE));
    return Math.sqrt(d.reduce((a, x) => a + x * x, 0));
  });
  return { losses, names: params.map((t) => t.name), deltaNorms, deltaSamples };
}

/** The probe batch mixed by `d`, in float64, into the graph values of a mixup model. */
function mixProbe(
  v: Map<number, Float64Array>,
  inputId: number,
  labelsId: number,
  mix: { second: number; weight: number },
  input: Float32Array,
  labels: Float64Array,
  d: MixDraw,
): void {
  const x = Float64Array.from(input);
  const y = Uint32Array.from(labels);
  const second = new Uint32Array(y.length);
  const m = applyMix(d, x, y, second, new Float64Array(x.length), x.length / y.length);
  v.set(inputId, x);
  v.set(labelsId, Float64Array.from(y));
  v.set(mix.second, Float64Array.from(second));
  v.set(mix.weight, Float64Array.of(m.weight));
}
