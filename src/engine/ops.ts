// The op set of the engine: one record per op with its inputs (name, and whether a
// gradient flows to it), its attributes' type and its shape rule. Backends implement
// every op's forward AND backward in a table typed by OpTable, so a missing op or
// backward is a compile error. NCHW, float32 on the GPU.

import { maxPoolProblem } from '../util';

/** A tensor's dimensions (NCHW for images). */
export type Shape = readonly number[];

export interface OpInput {
  name: string;
  /** Whether the op passes a gradient to this input (labels, running stats never). */
  grad: boolean;
  /** Class ids: u32 on the GPU (float64 values on the CPU). */
  labels?: boolean;
}

/** What an op is: its inputs in order and its output shape (throws via `fail`). */
export interface OpRecord<A> {
  inputs: readonly OpInput[];
  shape(s: readonly Shape[], attrs: A, fail: (msg: string) => never): Shape;
}

const input = (name: string, grad = true): OpInput => ({ name, grad });
const labels = (name: string): OpInput => ({ name, grad: false, labels: true });
const op = <A = Record<string, never>>(r: OpRecord<A>): OpRecord<A> => r;

function same(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const show = (s: Shape) => `[${s.join(',')}]`;

export const OPS = {
  /** w is [cout, cin, kh, kw]; no bias. */
  conv2d: op<{ stride: number; pad: number }>({
    inputs: [input('x'), input('w')],
    shape([x, w], { stride, pad }, fail) {
      if (x.length !== 4 || w.length !== 4) fail('conv2d needs x [n,c,h,w] and w [cout,cin,kh,kw]');
      if (x[1] !== w[1]) fail(`conv2d input has ${x[1]} channels but the filter expects ${w[1]}`);
      const ho = Math.floor((x[2] + 2 * pad - w[2]) / stride) + 1;
      const wo = Math.floor((x[3] + 2 * pad - w[3]) / stride) + 1;
      if (ho < 1 || wo < 1) fail(`conv2d output would be empty for a ${x[2]}x${x[3]} input`);
      return [x[0], w[0], ho, wo];
    },
  }),
  /** PyTorch semantics; running statistics are updated in train mode, never differentiated. */
  batchNorm: op<{ eps: number; momentum: number }>({
    inputs: [input('x'), input('gamma'), input('beta'), input('runningMean', false), input('runningVar', false)],
    shape([x, ...rest], _a, fail) {
      if (x.length !== 4) fail('batchNorm needs x [n,c,h,w]');
      if (rest.some((r) => !same(r, [x[1]]))) fail(`batchNorm parameters must have shape [${x[1]}]`);
      return x;
    },
  }),
  relu: op({ inputs: [input('x')], shape: ([x]) => x }),
  /** Two tensors of equal shape. */
  add: op({
    inputs: [input('a'), input('b')],
    shape([a, b], _a, fail) {
      if (!same(a, b)) fail(`add needs equal shapes, got ${show(a)} and ${show(b)}`);
      return a;
    },
  }),
  /** a is a 1-element tensor (a_res, a_skip, Fixup's multiplier). */
  scalarMul: op({
    inputs: [input('x'), input('a')],
    shape([x, a], _a, fail) {
      if (!same(a, [1])) fail('scalarMul needs a 1-element scalar tensor');
      return x;
    },
  }),
  /** b is a 1-element tensor (Fixup's scalar biases). */
  scalarAdd: op({
    inputs: [input('x'), input('b')],
    shape([x, b], _a, fail) {
      if (!same(b, [1])) fail('scalarAdd needs a 1-element scalar tensor');
      return x;
    },
  }),
  /** k x k max over each window of each plane (PyTorch MaxPool2d, floor mode). */
  maxPool: op<{ k: number; stride: number; pad: number }>({
    inputs: [input('x')],
    shape([x], { k, stride, pad }, fail) {
      if (x.length !== 4) fail('maxPool needs x [n,c,h,w]');
      const problem = maxPoolProblem(k, stride, pad);
      if (problem) fail(problem);
      const ho = Math.floor((x[2] + 2 * pad - k) / stride) + 1;
      const wo = Math.floor((x[3] + 2 * pad - k) / stride) + 1;
      if (ho < 1 || wo < 1) fail(`maxPool output would be empty for a ${x[2]}x${x[3]} input and a ${k}x${k} window`);
      return [x[0], x[1], ho, wo];
    },
  }),
  /** [n, c, h, w] -> [n, c]. */
  globalAvgPool: op({
    inputs: [input('x')],
    shape([x], _a, fail) {
      if (x.length !== 4) fail('globalAvgPool needs x [n,c,h,w]');
      return [x[0], x[1]];
    },
  }),
  /** x [n, in], w [out, in], b [out] -> [n, out]. */
  linear: op({
    inputs: [input('x'), input('w'), input('b')],
    shape([x, w, b], _a, fail) {
      if (x.length !== 2 || w.length !== 2 || x[1] !== w[1]) fail(`linear needs x [n,in] and w [out,in], got ${show(x)} and ${show(w)}`);
      if (!same(b, [w[0]])) fail(`linear bias must have shape [${w[0]}]`);
      return [x[0], w[0]];
    },
  }),
  /** logits [n, k], labels u32 [n] -> the mean loss [1]. */
  softmaxCrossEntropy: op({
    inputs: [input('logits'), labels('labels')],
    shape([logits, y], _a, fail) {
      if (logits.length !== 2 || !same(y, [logits[0]])) fail('softmaxCrossEntropy needs logits [n,k] and labels [n]');
      return [1];
    },
  }),
  /** Mixup's loss: logits [n, k], labels and second u32 [n], weight [1] -> the batch mean
   * of weight * CE(labels) + (1 - weight) * CE(second), i.e. CE against soft labels. */
  mixedCrossEntropy: op({
    inputs: [input('logits'), labels('labels'), labels('second'), input('weight', false)],
    shape([logits, y, second, weight], _a, fail) {
      if (logits.length !== 2 || !same(y, [logits[0]]) || !same(second, [logits[0]]))
        fail(`mixedCrossEntropy needs logits [n,k] and two label sets [n], got ${show(logits)}, ${show(y)} and ${show(second)}`);
      if (!same(weight, [1])) fail('mixedCrossEntropy needs a 1-element weight tensor');
      return [1];
    },
  }),
};

export type OpName = keyof typeof OPS;

/** Each op's attributes, read off its record. */
export type OpAttrs = { [K in OpName]: (typeof OPS)[K] extends OpRecord<infer A> ? A : never };

/** A backend's implementation: forward and backward side by side for every op. */
export type OpTable<Impl extends { [K in OpName]: unknown }> = { [K in OpName]: Impl[K] };

/** Whether op `op` passes a gradient to its input `i`. */
export function differentiable(op: OpName, i: number): boolean {
  return OPS[op].inputs[i]?.grad ?? false;
}

export function inferShape<K extends OpName>(op: K, s: readonly Shape[], attrs: OpAttrs[K], name: string): Shape {
  const record = OPS[op] as OpRecord<OpAttrs[K]>;
  if (!record) throw new Error(`${name}: unknown op ${String(op)}`);
  const fail = (msg: string): never => {
    throw new Error(`${name}: ${msg}`);
  };
  if (s.length !== record.inputs.length)
    fail(`${op} takes ${record.inputs.length} inputs (${record.inputs.map((i) => i.name).join(', ')}), got ${s.length}`);
  return record.shape(s, attrs, fail);
}
