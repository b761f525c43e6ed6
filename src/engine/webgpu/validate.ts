// VALIDATE mode: one GPU training step checked against the float64 CPU interpreter on
// the same values and batch. Every parameter gradient is compared, in the order the
// backward pass produces them, and the first that diverges is named with its tolerance.
// Not for every step: it reads all values back and runs the whole step on the CPU.

import { lossAndGradients } from '../cpu/interpreter';
import type { GpuTrainSession } from './trainSession';
import type { MixLabels } from './batchCheck';

/** float32 GPU vs float64 reference through a few layers: a few 1e-6 of each tensor's
 * scale in practice; 2e-4 leaves room without hiding a wrong kernel. */
const VALIDATE_TOL = { atol: 2e-4, rtol: 2e-3 };

interface Divergence {
  tensor: string;
  index: number;
  got: number;
  want: number;
  /** The allowed |got - want| at that element. */
  allowed: number;
}

/** The largest float32 magnitude: a reference value beyond it cannot be stored by the GPU. */
const FLOAT32_MAX = 3.4028234663852886e38;

export interface StepValidation {
  step: number;
  /** The step started from non-finite weights (an earlier step diverged): nothing compared. */
  nonFiniteWeights?: string;
  /** The float64 reference holds a value float32 cannot (the training diverged; the
   * GPU's Inf / NaN from here on is overflow, not a kernel error). */
  overflow?: { tensor: string; max: number };
  /** Gradients compared, and the largest |err| / allowed among them (< 1 agrees). */
  tensors: number;
  worstRatio: number;
  /** The first gradient (in backward order) with an element outside its tolerance. */
  divergence?: Divergence;
}

function compare(name: string, got: ArrayLike<number>, want: ArrayLike<number>): { ratio: number; divergence?: Divergence } {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let ratio = 0;
  let divergence: Divergence | undefined;
  for (let i = 0; i < want.length; i++) {
    const allowed = VALIDATE_TOL.atol * Math.max(1, scale) + VALIDATE_TOL.rtol * Math.abs(want[i]);
    const r = Math.abs(got[i] - want[i]) / allowed;
    if (!(r <= ratio)) ratio = Number.isNaN(r) ? Infinity : r;
    if (!(r <= 1) && !divergence) divergence = { tensor: name, index: i, got: got[i], want: want[i], allowed };
  }
  return { ratio, divergence };
}

/** Runs one training step on `session` and checks its gradients against the CPU. */
export async function validateStep(
  session: GpuTrainSession,
  x: Float32Array,
  labels: Uint32Array,
  lr: number,
  mix?: MixLabels,
): Promise<StepValidation> {
  const { graph, input, labels: labelId, loss, optimizer } = session.spec;
  const values = new Map([...(await session.readValues())].map(([id, v]) => [id, Float64Array.from(v)]));
  values.set(input, Float64Array.from(x));
  values.set(labelId, Float64Array.from(labels));
  if (session.spec.mix && mix) {
    values.set(session.spec.mix.second, Float64Array.from(mix.second));
    // The GPU's weight is float32: the reference sees the same value.
    values.set(session.spec.mix.weight, Float64Array.of(Math.fround(mix.weight)));
  }
  const out: StepValidation = { step: session.step + 1, tensors: 0, worstRatio: 0 };
  const bad = session.params.find((p) => !values.get(p.id)!.every(Number.isFinite));
  if (bad) {
    session.runStep(x, labels, lr, mix);
    return { ...out, nonFiniteWeights: bad.name };
  }
  const ref = lossAndGradients(graph, values, loss, 'train');
  session.runStep(x, labels, lr, mix);
  const grads = await session.readGrads();
  out.overflow = largestBeyondFloat32(session, ref);
  // The GPU clips its gradients in place (torch.nn.utils.clip_grad_norm_); so does the reference.
  let factor = 1;
  if (optimizer.clipNorm) {
    let sq = 0;
    for (const p of session.params) for (const v of ref.grads.get(p.id)!) sq += v * v;
    factor = Math.min(1, optimizer.clipNorm / (Math.sqrt(sq) + 1e-6));
  }
  if (out.overflow) return out;
  for (const p of [...session.params].reverse()) {
    const want = ref.grads.get(p.id)!.map((v) => v * factor);
    const c = compare(`d(${p.name})`, grads.get(p.id)!, want);
    out.tensors += 1;
    out.worstRatio = Math.max(out.worstRatio, c.ratio);
    out.divergence ??= c.divergence;
  }
  return out;
}

/** The reference activation or gradient with the largest magnitude, when it is beyond
 * float32's range. */
function largestBeyondFloat32(session: GpuTrainSession, ref: ReturnType<typeof lossAndGradients>): StepValidation['overflow'] {
  let worst: StepValidation['overflow'];
  const look = (tensor: string, v: ArrayLike<number>) => {
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(v[i]);
      if (a > FLOAT32_MAX && !(worst && worst.max >= a)) worst = { tensor, max: a };
    }
  };
  for (const t of session.spec.graph.tensors) if (t.role === 'activation') look(t.name, ref.forward.value(t.id));
  for (const p of session.params) look(`d(${p.name})`, ref.grads.get(p.id)!);
  return worst;
}

/** One line for a log. */
export function describeValidation(v: StepValidation): string {
  if (v.nonFiniteWeights)
    return `step ${v.step}: not compared: the weights are already NaN or Inf (${v.nonFiniteWeights}); the run diverged earlier`;
  if (v.overflow) {
    return `step ${v.step}: not compared: the float64 reference reaches |${v.overflow.tensor}| = ${v.overflow.max.toExponential(2)}, beyond float32's ${FLOAT32_MAX.toExponential(2)}: the training diverged (lower the learning rate, add BatchNorm or clip gradients); GPU overflow from here on is not a kernel error`;
  }
  const d = v.divergence;
  if (!d)
    return `step ${v.step}: ${v.tensors} gradients agree with the float64 reference (worst ${v.worstRatio.toFixed(3)} of the tolerance)`;
  return `step ${v.step}: ${d.tensor} diverges first: element ${d.index} is ${d.got}, the float64 reference ${d.want} (allowed |err| ${d.allowed.toExponential(2)})`;
}
