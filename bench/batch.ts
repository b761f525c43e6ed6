// The seeded batch every engine in the training-step benches trains on (NCHW images,
// class labels and their one-hot rows). No Node or TF.js imports: browser benches use it.
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
