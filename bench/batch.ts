// The seeded batch every engine in the training-step benches trains on (NCHW images,
// class labels and their one-hot rows). No Node or TF.js imports: browser benches use it.
import type { GpuContext } from '../src/gpu/device';
import { GpuTrainSession } from '../src/engine/webgpu/trainSession';
import type { ResNetModel } from '../src/nn/resnet';
import { RandomStream, Streams } from '../src/util/prng';

export interface Batch {
  x: Float32Array;
  labels: Uint32Array;
  oneHot: Float32Array;
}

export function makeBatch(model: ResNetModel): Batch {
  const rng = new RandomStream(3, Streams.test);
  const [n, c, h, w] = model.graph.tensors[model.input].shape;
  const classes = model.config.numClasses;
  const x = Float32Array.from(rng.normalArray(n * c * h * w));
  const labels = Uint32Array.from({ length: n }, () => rng.int(classes));
  const oneHot = new Float32Array(n * classes);
  labels.forEach((l, i) => (oneHot[i * classes + l] = 1));
  return { x, labels, oneHot };
}

/** A training session of `model` from `values` (SGD momentum 0.9, weight decay 5e-4),
 * as the spectrum and explorer benches time it against their measurements. */
export function sgdSession(ctx: GpuContext, model: ResNetModel, values: ReadonlyMap<number, Float64Array>): GpuTrainSession {
  return new GpuTrainSession(ctx, {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values: new Map([...values].map(([id, v]) => [id, Float32Array.from(v)])),
    optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 },
  });
}
