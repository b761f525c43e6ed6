// What training an experiment costs, estimated before it starts: forward FLOPs per
// example (nn/modelStats) x 3 for forward + backward, x batch x steps, summed over the
// runs, each once per seed. A link that asks to start at once asks the user first when this is large.

import { flopsPerExample } from '../nn';
import { BUILTIN_DATASETS } from './datasets';
import type { ExperimentConfig } from './experimentConfig';
import { resnetConfigFor, type DatasetShape } from './modelFactory';

/** Above this a `run=1` link asks before starting: the default experiment costs about
 * 2e13, one ResNet-20 at batch 128 for 5000 CIFAR steps about 1.6e14; the largest the
 * limits allow (width 512, 100 blocks per stage, batch 4096, 1e7 steps) about 1e24. */
export const AUTOSTART_MAX_FLOPS = 1e15;

/** Uploads not yet loaded are costed as CIFAR-sized (3 x 32 x 32, 10 classes). */
const UNKNOWN_SHAPE: DatasetShape = { channels: 3, size: 32, classes: 10 };

export function shapeOfDataset(id: string): DatasetShape {
  const b = BUILTIN_DATASETS.find((d) => d.id === id);
  return b ? { channels: b.channels, size: b.size, classes: b.classes } : UNKNOWN_SHAPE;
}

/** Training FLOPs of all the experiment's runs over all its seeds; Infinity when a model cannot be built. */
export function trainingFlops(exp: ExperimentConfig, shape: DatasetShape = shapeOfDataset(exp.dataset)): number {
  let total = 0;
  for (const s of exp.schemes) {
    try {
      const { config } = resnetConfigFor(exp, s, shape);
      total += 3 * flopsPerExample(config) * exp.batchSize * exp.steps * exp.seeds;
    } catch {
      return Infinity;
    }
  }
  return total;
}

/** "2.3e15 FLOPs": researchers read powers of ten faster than prefixes past peta. */
export function describeFlops(flops: number): string {
  if (!Number.isFinite(flops)) return 'an unknown number of FLOPs';
  return `${flops.toExponential(1).replace('e+', 'e')} FLOPs`;
}
