// Descriptor of shaders/mixedCrossEntropy.wgsl: mixup's loss, the batch mean of
// w * CE(labels) + (1 - w) * CE(second), and its logits gradient; row pass, then the
// deterministic batch-mean reduction, as softmaxCrossEntropy.ts.

import code from '../../../shaders/mixedCrossEntropy.wgsl?raw';
import rowPass from '../../../shaders/common/crossEntropyRow.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkRows, type RowsParams } from './argmax';
import { grid1d, withRowReduce } from './common';
import { reduce } from './reduce';

export const mixedCrossEntropyKernel = defineKernel({ name: 'mixedCrossEntropy', code: withRowReduce(`${code}\n${rowPass}`) });

/** The two label sets of a mixed batch (u32 [n]) and the first one's loss weight (f32 [1]). */
export interface MixedTargets {
  labels: BufferRef;
  second: BufferRef;
  weight: BufferRef;
}

/** loss[0] = mean_i of w * CE(z_i, labels_i) + (1 - w) * CE(z_i, second_i); dlogits =
 * (softmax(z_i) - w * onehot(labels_i) - (1 - w) * onehot(second_i)) / n. A label >= k
 * makes loss and that row of dlogits NaN. */
export function mixedCrossEntropy(
  sink: KernelSink,
  logits: BufferRef,
  targets: MixedTargets,
  loss: BufferRef,
  dlogits: BufferRef,
  p: RowsParams,
): void {
  checkRows('mixedCrossEntropy', p);
  if (p.n < 1) throw new RangeError('mixedCrossEntropy: empty batch (the mean is undefined)');
  const rowLoss = sink.scratch(p.n * 4, 'mixedCrossEntropy:rowLoss');
  sink.dispatch({
    kernel: mixedCrossEntropyKernel,
    buffers: { logits, ...targets, rowLoss, dlogits },
    uniforms: { n: p.n, k: p.k },
    workgroups: grid1d(p.n, 1),
  });
  reduce(sink, 'sum', rowLoss, undefined, loss, p.n, { scale: 1 / p.n });
}
