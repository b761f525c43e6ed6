// The op set of the engine: names, attributes, shape rules and which inputs carry
// gradients. Backends implement every op's forward AND backward in a table typed by
// OpTable, so a missing backward is a compile error. NCHW, float32 on the GPU.

import type { Shape } from './graph';

export interface OpAttrs {
  /** inputs [x, w]; w is [cout, cin, kh, kw]; no bias. */
  conv2d: { stride: number; pad: number };
  /** inputs [x, gamma, beta, runningMean, runningVar]; PyTorch semantics. */
  batchNorm: { eps: number; momentum: number };
  /** inputs [x]. */
  relu: Record<string, never>;
  /** inputs [a, b] of equal shape. */
  add: Record<string, never>;
  /** inputs [x, a] with a a 1-element tensor (a_res, a_skip, Fixup's multiplier). */
  scalarMul: Record<string, never>;
  /** inputs [x, b] with b a 1-element tensor (Fixup's scalar biases). */
  scalarAdd: Record<string, never>;
  /** inputs [x] of [n, c, h, w] -> [n, c]. */
  globalAvgPool: Record<string, never>;
  /** inputs [x, w, b]: x [n, in], w [out, in], b [out] -> [n, out]. */
  linear: Record<string, never>;
  /** inputs [logits, labels]: logits [n, k], labels u32 [n] -> mean loss [1]. */
  softmaxCrossEntropy: Record<string, never>;
}

export type OpName = keyof OpAttrs;

export const OP_NAMES = ['conv2d', 'batchNorm', 'relu', 'add', 'scalarMul', 'scalarAdd', 'globalAvgPool', 'linear', 'softmaxCrossEntropy'] as const satisfies readonly OpName[];

/** Which inputs receive gradients (labels, running stats never do). */
export const DIFFERENTIABLE: { [K in OpName]: readonly boolean[] } = {
  conv2d: [true, true],
  batchNorm: [true, true, true, false, false],
  relu: [true],
  add: [true, true],
  scalarMul: [true, true],
  scalarAdd: [true, true],
  globalAvgPool: [true],
  linear: [true, true, true],
  softmaxCrossEntropy: [true, false],
};

/** A backend's implementation: forward and backward side by side for every op. */
export type OpTable<Impl extends { [K in OpName]: unknown }> = { [K in OpName]: Impl[K] };

function fail(name: string, msg: string): never {
  throw new Error(`${name}: ${msg}`);
}

function same(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function inferShape<K extends OpName>(op: K, s: readonly Shape[], attrs: OpAttrs[K], name: string): Shape {
  const want = DIFFERENTIABLE[op].length;
  if (s.length !== want) fail(name, `${op} takes ${want} inputs, got ${s.length}`);
  switch (op) {
    case 'conv2d': {
      const [x, w] = s;
      const { stride, pad } = attrs as OpAttrs['conv2d'];
      if (x.length !== 4 || w.length !== 4) fail(name, 'conv2d needs x [n,c,h,w] and w [cout,cin,kh,kw]');
      if (x[1] !== w[1]) fail(name, `conv2d input has ${x[1]} channels but the filter expects ${w[1]}`);
      const ho = Math.floor((x[2] + 2 * pad - w[2]) / stride) + 1;
      const wo = Math.floor((x[3] + 2 * pad - w[3]) / stride) + 1;
      if (ho < 1 || wo < 1) fail(name, `conv2d output would be empty for a ${x[2]}x${x[3]} input`);
      return [x[0], w[0], ho, wo];
    }
    case 'batchNorm': {
      const [x, ...rest] = s;
      if (x.length !== 4) fail(name, 'batchNorm needs x [n,c,h,w]');
      if (rest.some((r) => !same(r, [x[1]]))) fail(name, `batchNorm parameters must have shape [${x[1]}]`);
      return x;
    }
    case 'relu':
    case 'globalAvgPool': {
      if (op === 'globalAvgPool') {
        if (s[0].length !== 4) fail(name, 'globalAvgPool needs x [n,c,h,w]');
        return [s[0][0], s[0][1]];
      }
      return s[0];
    }
    case 'add':
      if (!same(s[0], s[1])) fail(name, `add needs equal shapes, got [${s[0].join(',')}] and [${s[1].join(',')}]`);
      return s[0];
    case 'scalarMul':
    case 'scalarAdd':
      if (!same(s[1], [1])) fail(name, `${op} needs a 1-element scalar tensor`);
      return s[0];
    case 'linear': {
      const [x, w, b] = s;
      if (x.length !== 2 || w.length !== 2 || x[1] !== w[1]) fail(name, `linear needs x [n,in] and w [out,in], got [${x.join(',')}] and [${w.join(',')}]`);
      if (!same(b, [w[0]])) fail(name, `linear bias must have shape [${w[0]}]`);
      return [x[0], w[0]];
    }
    case 'softmaxCrossEntropy': {
      const [logits, labels] = s;
      if (logits.length !== 2 || !same(labels, [logits[0]])) fail(name, 'softmaxCrossEntropy needs logits [n,k] and labels [n]');
      return [1];
    }
    default:
      return fail(name, `unknown op ${String(op)}`);
  }
}
