// The WebGPU implementation of every op: forward and backward side by side, recorded
// into a KernelSink (the planning sink at compile time). Gradients are written or, when
// a tensor already received a contribution, accumulated (`acc`).

import {
  windowOf,
  type BufferRef,
  batchNormBackward,
  batchNormEvalBackward,
  batchNormEvalForward,
  batchNormTrainForward,
  type BatchNormSaved,
  biasGrad,
  conv2dBackwardFilter,
  conv2dBackwardInput,
  conv2dForward,
  accumulate,
  add,
  elementwise,
  globalAvgPoolBackward,
  globalAvgPoolForward,
  matmul,
  maxPoolBackward,
  maxPoolForward,
  reduceSum,
  scalarMulBackward,
  softmaxCrossEntropy,
  mixedCrossEntropy,
} from '../../gpu';
import type { KernelSink } from '../../gpu';
import { maxPoolOutShape, type Conv2dShape } from '../../util';
import { numel, type Shape } from '../graph';
import type { OpAttrs, OpName, OpTable } from '../ops';

interface GpuForwardIO {
  inputs: BufferRef[];
  out: BufferRef;
  /** Extra buffers the op keeps from forward to backward (sizes from `saved`). */
  saved: GPUBuffer[];
  shapes: Shape[];
  outShape: Shape;
  mode: 'train' | 'eval';
}

/** `mode` is the forward's: eval-mode backward treats BatchNorm's running stats as constants. */
interface GpuBackwardIO extends GpuForwardIO {
  dOut: BufferRef;
  /** Gradient targets per input; null where no gradient is wanted. */
  grads: (BufferRef | null)[];
  /** Per input: add into the target instead of overwriting it. */
  acc: boolean[];
}

export interface GpuOp<A> {
  /** Element counts of the buffers kept from forward to backward. */
  saved?(shapes: Shape[], attrs: A): number[];
  forward(k: KernelSink, io: GpuForwardIO, attrs: A): void;
  backward(k: KernelSink, io: GpuBackwardIO, attrs: A): void;
}

/** A gradient target, or a throwaway scratch buffer when the caller wants none. */
function orScratch(k: KernelSink, target: BufferRef | null, n: number): BufferRef {
  return target ?? k.scratch(n * 4, 'unwantedGrad');
}

function copyRef(k: KernelSink, src: BufferRef, dst: BufferRef, n: number): void {
  const s = windowOf(src);
  const d = windowOf(dst);
  k.copy(s.buffer, s.offset, d.buffer, d.offset, n * 4);
}

function passThrough(k: KernelSink, dy: BufferRef, target: BufferRef | null, acc: boolean, n: number): void {
  if (!target) return;
  if (acc) accumulate(k, dy, target, n);
  else copyRef(k, dy, target, n);
}

export function convShape(s: Shape[], a: OpAttrs['conv2d']): Conv2dShape {
  const [x, w] = s;
  return { n: x[0], cin: x[1], h: x[2], w: x[3], cout: w[0], kh: w[2], kw: w[3], stride: a.stride, pad: a.pad };
}

/** The buffers train-mode BatchNorm keeps (its `saved` entry, in order). */
export function bnSaved(saved: GPUBuffer[]): BatchNormSaved {
  return { coef: saved[0] };
}

function nchw(s: Shape) {
  return { n: s[0], c: s[1], h: s[2], w: s[3] };
}

export const gpuOps: OpTable<{ [K in OpName]: GpuOp<OpAttrs[K]> }> = {
  conv2d: {
    forward: (k, io, a) => conv2dForward(k, io.inputs[0], io.inputs[1], io.out, convShape(io.shapes, a)),
    backward(k, io, a) {
      const s = convShape(io.shapes, a);
      if (io.grads[0]) conv2dBackwardInput(k, io.dOut, io.inputs[1], io.grads[0], s, { accumulate: io.acc[0] });
      if (io.grads[1]) conv2dBackwardFilter(k, io.inputs[0], io.dOut, io.grads[1], s, { accumulate: io.acc[1] });
    },
  },
  batchNorm: {
    // The record (mean, gamma*invStd, beta, invStd) per channel (BatchNormSaved).
    saved: (s) => [4 * s[0][1]],
    forward(k, io, a) {
      const [x, gamma, beta, rm, rv] = io.inputs;
      if (io.mode === 'eval') batchNormEvalForward(k, x, gamma, beta, rm, rv, io.out, { ...nchw(io.shapes[0]), eps: a.eps });
      else
        batchNormTrainForward(k, x, gamma, beta, io.out, bnSaved(io.saved), rm, rv, {
          ...nchw(io.shapes[0]),
          eps: a.eps,
          momentum: a.momentum,
        });
    },
    backward(k, io, a) {
      const [x, gamma, , , rv] = io.inputs;
      const c = io.shapes[0][1];
      const n = numel(io.shapes[0]);
      if (io.mode === 'eval') {
        // Input gradients only (Jacobians): nothing trains through eval-mode statistics.
        if (io.grads[1] || io.grads[2]) throw new Error('batchNorm: eval-mode backward gives input gradients only, not gamma / beta');
        if (io.grads[0])
          batchNormEvalBackward(k, io.dOut, gamma, rv, io.grads[0], { ...nchw(io.shapes[0]), eps: a.eps, accumulate: io.acc[0] });
        return;
      }
      if (io.acc[1] !== io.acc[2]) throw new Error('batchNorm: gamma and beta gradients must both accumulate or both overwrite');
      const dgamma = orScratch(k, io.grads[1], c);
      const dbeta = orScratch(k, io.grads[2], c);
      const p = { ...nchw(io.shapes[0]), accumulate: io.acc[1], accumulateDx: io.acc[0] };
      batchNormBackward(k, x, io.dOut, bnSaved(io.saved), orScratch(k, io.grads[0], n), dgamma, dbeta, p);
    },
  },
  relu: {
    forward: (k, io) => elementwise(k, 'reluForward', { x: io.inputs[0], out: io.out }, numel(io.outShape)),
    // The output is > 0 exactly where the input is, so backward reads the output.
    backward(k, io) {
      if (io.grads[0])
        elementwise(k, 'reluBackward', { x: io.out, dy: io.dOut, out: io.grads[0] }, numel(io.outShape), { accumulate: io.acc[0] });
    },
  },
  add: {
    forward(k, io) {
      const n = numel(io.outShape);
      add(k, io.inputs[0], io.inputs[1], io.out, n);
    },
    backward(k, io) {
      const n = numel(io.outShape);
      passThrough(k, io.dOut, io.grads[0], io.acc[0], n);
      passThrough(k, io.dOut, io.grads[1], io.acc[1], n);
    },
  },
  scalarMul: {
    forward: (k, io) => elementwise(k, 'scalarMul', { scalar: io.inputs[1], x: io.inputs[0], out: io.out }, numel(io.outShape)),
    backward(k, io) {
      const n = numel(io.outShape);
      const [x, a] = io.inputs;
      // A fixed scalar (a const a_res / a_skip) needs no reduction for its gradient.
      if (!io.grads[1]) {
        if (io.grads[0]) elementwise(k, 'scalarMul', { scalar: a, x: io.dOut, out: io.grads[0] }, n, { accumulate: io.acc[0] });
        return;
      }
      scalarMulBackward(k, a, x, io.dOut, orScratch(k, io.grads[0], n), io.grads[1], n, {
        accumulateDx: io.acc[0],
        accumulateDa: io.acc[1],
      });
    },
  },
  scalarAdd: {
    forward: (k, io) => elementwise(k, 'scalarAdd', { scalar: io.inputs[1], x: io.inputs[0], out: io.out }, numel(io.outShape)),
    backward(k, io) {
      const n = numel(io.outShape);
      passThrough(k, io.dOut, io.grads[0], io.acc[0], n);
      if (io.grads[1]) reduceSum(k, io.dOut, io.grads[1], n, { accumulate: io.acc[1] });
    },
  },
  maxPool: {
    // The index of each window's maximum, kept for backward.
    saved(s, a) {
      const { ho, wo } = maxPoolOutShape({ ...nchw(s[0]), ...a });
      return [s[0][0] * s[0][1] * ho * wo];
    },
    forward: (k, io, a) => maxPoolForward(k, io.inputs[0], io.out, io.saved[0], { ...nchw(io.shapes[0]), ...a }),
    backward(k, io, a) {
      if (io.grads[0]) maxPoolBackward(k, io.dOut, io.saved[0], io.grads[0], { ...nchw(io.shapes[0]), ...a }, io.acc[0]);
    },
  },
  globalAvgPool: {
    forward: (k, io) => globalAvgPoolForward(k, io.inputs[0], io.out, nchw(io.shapes[0])),
    backward(k, io) {
      if (io.grads[0]) globalAvgPoolBackward(k, io.dOut, io.grads[0], nchw(io.shapes[0]), io.acc[0]);
    },
  },
  linear: {
    forward(k, io) {
      const [[n, fin], [fout]] = io.shapes;
      const [x, w, b] = io.inputs;
      const tmp = k.scratch(n * fout * 4, 'linear:xw');
      matmul(k, x, w, tmp, { m: n, n: fout, k: fin, transB: true });
      elementwise(k, 'biasAdd', { x: tmp, bias: b, out: io.out }, n * fout, { c: fout, hw: 1 });
    },
    backward(k, io) {
      const [[n, fin], [fout]] = io.shapes;
      const [x, w] = io.inputs;
      const [dx, dw, db] = io.grads;
      if (dx) matmul(k, io.dOut, w, dx, { m: n, n: fin, k: fout, beta: io.acc[0] ? 1 : 0 });
      if (dw) matmul(k, io.dOut, x, dw, { m: fout, n: fin, k: n, transA: true, beta: io.acc[1] ? 1 : 0 });
      if (db) biasGrad(k, io.dOut, db, { n, c: fout, hw: 1, accumulate: io.acc[2] });
    },
  },
  softmaxCrossEntropy: {
    // The gradient (softmax - onehot)/n is produced with the loss and kept for backward.
    saved: (s) => [numel(s[0])],
    forward: (k, io) => softmaxCrossEntropy(k, io.inputs[0], io.inputs[1], io.out, io.saved[0], { n: io.shapes[0][0], k: io.shapes[0][1] }),
    backward(k, io) {
      const n = numel(io.shapes[0]);
      if (io.grads[0]) elementwise(k, 'scalarMul', { scalar: io.dOut, x: io.saved[0], out: io.grads[0] }, n, { accumulate: io.acc[0] });
    },
  },
  mixedCrossEntropy: {
    // As softmaxCrossEntropy: the gradient is produced with the loss and kept for backward.
    saved: (s) => [numel(s[0])],
    forward(k, io) {
      const [logits, labels, second, weight] = io.inputs;
      mixedCrossEntropy(k, logits, { labels, second, weight }, io.out, io.saved[0], { n: io.shapes[0][0], k: io.shapes[0][1] });
    },
    backward(k, io) {
      const n = numel(io.shapes[0]);
      if (io.grads[0]) elementwise(k, 'scalarMul', { scalar: io.dOut, x: io.saved[0], out: io.grads[0] }, n, { accumulate: io.acc[0] });
    },
  },
};
