// Descriptor of shaders/softmaxCrossEntropy.wgsl: mean softmax cross-entropy over a batch
// and its gradient w.r.t. the logits, in two kernels (row pass, then a deterministic
// batch-mean reduction). No per-example loss output.

import code from '../../../shaders/softmaxCrossEntropy.wgsl?raw';
import rowPass from '../../../shaders/common/crossEntropyRow.wgsl?raw';
import { defineKernel, type BufferRef } from '../kernel';
import type { KernelSink } from '../recorder';
import { checkRows, type RowsParams } from './argmax';
import { grid1d, withRowReduce } from './common';
import { reduce } from './reduce';

export const softmaxCrossEntropyKernel = defineKernel({
  name: 'softmaxCrossEntropy',
  code: withRowReduce(`${code}\n${rowPass}`),
});

/** loss[0] = mean_i (logsumexp(z_i) - z_i[y_i]); dlogits = (softmax(z_i) - onehot(y_i)) / n.
 * logits f32 [n, k], labels u32 [n]. A label >= k makes loss and that row of dlogits NaN. */
export function softmaxCrossEntropy(
  sink: KernelSink,
  logits: BufferRef,
  labels: BufferRef,
  loss: BufferRef,
  dlogits: BufferRef,
  p: RowsParams,
): void {
  checkRows('softmaxCrossEntropy', p);
  if (p.n < 1) throw new RangeError('softmaxCrossEntropy: empty batch (the mean is undefined)');
  const rowLoss = sink.scratch(p.n * 4, 'softmaxCrossEntropy:rowLoss');
  sink.dispatch({
    kernel: softmaxCrossEntropyKernel,
    buffers: { logits, labels, rowLoss, dlogits },
    uniforms: { n: p.n, k: p.k },
    workgroups: grid1d(p.n, 1),
  });
  reduce(sink, 'sum', rowLoss, undefined, loss, p.n, { scale: 1 / p.n });
}
