// The float64 CPU backend of the op set: every op's forward with its backward right
// below it (micrograd style), built on the reference kernels of this folder. The
// reference that GPU results are checked against; it runs graphs, it does not plan them.

import { conv2dForward, conv2dBackwardInput } from './conv2d';
import { conv2dBackwardFilter } from './conv2dBackwardFilter';
import { batchNormBackward, batchNormEvalForward, batchNormTrainForward } from './batchNorm';
import { reluBackward, reluForward } from './elementwise';
import { scalarMulBackward, scalarMulForward } from './scalarMul';
import { globalAvgPoolBackward, globalAvgPoolForward } from './pool';
import { maxPoolBackward, maxPoolForward } from './maxPool';
import { matmul } from './matmul';
import { biasAdd, biasGrad } from './bias';
import { mixedCrossEntropy, softmaxCrossEntropy } from './loss';
import type { Conv2dShape } from '../../util';
import type { Shape } from '../graph';
import type { OpAttrs, OpName, OpTable } from '../ops';

export type CpuMode = 'train' | 'eval';

/** Returned arrays are always fresh (never an input or dOut), so callers may accumulate
 * into them in place. `saved` carries what backward needs beyond inputs and output. */
export interface CpuOp<A> {
  forward(inputs: Float64Array[], shapes: Shape[], attrs: A, mode: CpuMode): { out: Float64Array; saved?: Float64Array[] };
  /** One gradient per input, in input order; null where the op record (ops.ts) says no gradient flows. */
  backward(
    dOut: Float64Array,
    inputs: Float64Array[],
    out: Float64Array,
    saved: Float64Array[] | undefined,
    shapes: Shape[],
    attrs: A,
  ): (Float64Array | null)[];
}

function convShape(shapes: Shape[], attrs: OpAttrs['conv2d']): Conv2dShape {
  const [[n, cin, h, w], [cout, , kh, kw]] = shapes;
  return { n, cin, h, w, cout, kh, kw, stride: attrs.stride, pad: attrs.pad };
}

function nchw(shape: Shape): { n: number; c: number; h: number; w: number } {
  const [n, c, h, w] = shape;
  return { n, c, h, w };
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/** Eval-mode batch norm y = gamma*(x - mean)/sqrt(var + eps) + beta with fixed stats:
 * dx, and the exact dgamma / dbeta (the GPU computes dx only; the reference has them). */
function batchNormEvalBackward(
  dy: Float64Array,
  x: Float64Array,
  gamma: Float64Array,
  mean: Float64Array,
  variance: Float64Array,
  p: { n: number; c: number; h: number; w: number },
  eps: number,
): (Float64Array | null)[] {
  const hw = p.h * p.w;
  const dx = new Float64Array(dy.length);
  const dgamma = new Float64Array(p.c);
  const dbeta = new Float64Array(p.c);
  for (let i = 0; i < dy.length; i++) {
    const ch = Math.floor(i / hw) % p.c;
    const invStd = 1 / Math.sqrt(variance[ch] + eps);
    dx[i] = dy[i] * gamma[ch] * invStd;
    dgamma[ch] += dy[i] * (x[i] - mean[ch]) * invStd;
    dbeta[ch] += dy[i];
  }
  return [dx, dgamma, dbeta, null, null];
}

export const cpuOps: OpTable<{ [K in OpName]: CpuOp<OpAttrs[K]> }> = {
  conv2d: {
    forward: ([x, w], shapes, attrs) => ({ out: conv2dForward(x, w, convShape(shapes, attrs)) }),
    backward: (dOut, [x, w], _out, _saved, shapes, attrs) => {
      const s = convShape(shapes, attrs);
      return [conv2dBackwardInput(dOut, w, s), conv2dBackwardFilter(x, dOut, s)];
    },
  },

  batchNorm: {
    // Train mode writes the new running stats into inputs[3] / inputs[4] in place, as
    // PyTorch's module does; the output itself depends on batch statistics only.
    forward: ([x, gamma, beta, runningMean, runningVar], shapes, attrs, mode) => {
      const p = { ...nchw(shapes[0]), ...attrs };
      if (mode === 'eval') return { out: batchNormEvalForward(x, gamma, beta, runningMean, runningVar, p) };
      if (p.n * p.h * p.w < 2) throw new Error('batchNorm train mode needs at least 2 values per channel (n*h*w >= 2)');
      const r = batchNormTrainForward(x, gamma, beta, runningMean, runningVar, p);
      runningMean.set(r.runningMean);
      runningVar.set(r.runningVar);
      return { out: r.y, saved: [r.savedMean, r.savedInvStd] };
    },
    // Train mode (saved batch statistics): their own dependence on x is part of the
    // gradient. Eval mode (nothing saved): the running stats are constants, so each
    // example's gradient depends on that example alone, which per-example Jacobians need.
    backward: (dOut, [x, gamma, , runningMean, runningVar], _out, saved, shapes, attrs) => {
      if (!saved) return batchNormEvalBackward(dOut, x, gamma, runningMean, runningVar, nchw(shapes[0]), attrs.eps);
      const g = batchNormBackward(x, dOut, gamma, saved[0], saved[1], nchw(shapes[0]));
      return [g.dx, g.dgamma, g.dbeta, null, null];
    },
  },

  relu: {
    forward: ([x]) => ({ out: reluForward(x) }),
    backward: (dOut, [x]) => [reluBackward(x, dOut)],
  },

  add: {
    forward: ([a, b]) => ({ out: a.map((v, i) => v + b[i]) }),
    backward: (dOut) => [dOut.slice(), dOut.slice()],
  },

  scalarMul: {
    forward: ([x, a]) => ({ out: scalarMulForward(a[0], x) }),
    backward: (dOut, [x, a]) => {
      const { dx, da } = scalarMulBackward(a[0], x, dOut);
      return [dx, Float64Array.of(da)];
    },
  },

  scalarAdd: {
    forward: ([x, b]) => ({ out: x.map((v) => v + b[0]) }),
    backward: (dOut) => [dOut.slice(), Float64Array.of(sum(dOut))],
  },

  maxPool: {
    forward: ([x], shapes, a) => {
      const r = maxPoolForward(x, { ...nchw(shapes[0]), ...a });
      return { out: r.y, saved: [r.argmax] };
    },
    backward: (dOut, [x], _out, saved, shapes, a) => {
      const s = { ...nchw(shapes[0]), ...a };
      return [maxPoolBackward(dOut, saved?.[0] ?? maxPoolForward(x, s).argmax, s)];
    },
  },

  globalAvgPool: {
    forward: ([x], shapes) => ({ out: globalAvgPoolForward(x, nchw(shapes[0])) }),
    backward: (dOut, _inputs, _out, _saved, shapes) => [globalAvgPoolBackward(dOut, nchw(shapes[0]))],
  },

  linear: {
    // y = x @ w^T + b with x [n, in], w [out, in].
    forward: ([x, w, b], shapes) => {
      const [n, k] = shapes[0];
      const m = shapes[1][0];
      return { out: biasAdd(matmul(x, w, { m: n, n: m, k, transB: true }), b, { n, c: m, hw: 1 }) };
    },
    backward: (dOut, [x, w], _out, _saved, shapes) => {
      const [n, k] = shapes[0];
      const m = shapes[1][0];
      return [matmul(dOut, w, { m: n, n: k, k: m }), matmul(dOut, x, { m, n: k, k: n, transA: true }), biasGrad(dOut, { n, c: m, hw: 1 })];
    },
  },

  softmaxCrossEntropy: {
    // Labels are class ids held as float64 values; loss is the batch mean, shape [1].
    forward: ([logits, labels], shapes) => {
      const [n, k] = shapes[0];
      const r = softmaxCrossEntropy(logits, labels, n, k);
      return { out: Float64Array.of(r.loss), saved: [r.dlogits] };
    },
    backward: (dOut, [logits, labels], _out, saved, shapes) => {
      const [n, k] = shapes[0];
      const dlogits = saved?.[0] ?? softmaxCrossEntropy(logits, labels, n, k).dlogits;
      return [dlogits.map((g) => g * dOut[0]), null];
    },
  },
  mixedCrossEntropy: {
    forward: ([logits, labels, second, weight], shapes) => {
      const [n, k] = shapes[0];
      const r = mixedCrossEntropy(logits, labels, second, weight[0], n, k);
      return { out: Float64Array.of(r.loss), saved: [r.dlogits] };
    },
    backward: (dOut, [logits, labels, second, weight], _out, saved, shapes) => {
      const [n, k] = shapes[0];
      const dlogits = saved?.[0] ?? mixedCrossEntropy(logits, labels, second, weight[0], n, k).dlogits;
      return [dlogits.map((g) => g * dOut[0]), null, null, null];
    },
  },
};
