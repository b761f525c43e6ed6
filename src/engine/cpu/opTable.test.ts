// Finite-difference checks of every CPU op's backward against its own forward, plus a
// few forward semantics the gradient check cannot see (BatchNorm running stats, conv
// tap layout, loss value). Whole-graph checks live in interpreter.test.ts.

import { describe, expect, it } from 'vitest';
import { cpuOps, type CpuMode } from './opTable';
import { differentiable, inferShape, type OpAttrs, type OpName } from '../ops';
import { numel, type Shape } from '../graph';
import { RandomStream, Streams } from '../../util/prng';
import { fdWorst } from './finiteDifference';

// Gradient checks: central differences, criterion in ./finiteDifference.ts.

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

interface Case<K extends OpName> {
  op: K;
  shapes: Shape[];
  attrs: OpAttrs[K];
  mode?: CpuMode;
  /** Overrides random N(0,1) values for some inputs (labels, ReLU inputs away from 0). */
  fill?: (index: number, rng: RandomStream, size: number) => Float64Array | undefined;
}

/** Checks the backward of every differentiable input on f = sum(out * R), R fixed random.
 * `backward` can be replaced to prove the check catches a wrong one. */
function checkOp<K extends OpName>(c: Case<K>, seed: number, backward = cpuOps[c.op].backward): number[] {
  const rng = new RandomStream(seed, Streams.test);
  const impl = cpuOps[c.op];
  const mode = c.mode ?? 'train';
  const inputs = c.shapes.map((s, i) => c.fill?.(i, rng, numel(s)) ?? rng.normalArray(numel(s)));
  const outShape = inferShape(c.op, c.shapes, c.attrs, 'test');
  const r = rng.normalArray(numel(outShape));
  // Fresh copies per evaluation: BatchNorm's train forward writes into its state inputs.
  const run = () =>
    impl.forward(
      inputs.map((v) => v.slice()),
      c.shapes,
      c.attrs,
      mode,
    );
  const { out, saved } = run();
  expect(out.length).toBe(numel(outShape));
  const grads = backward(r, inputs, out, saved, c.shapes, c.attrs);
  expect(grads.length).toBe(inputs.length);
  return inputs.map((x, i) => {
    if (!differentiable(c.op, i)) {
      expect(grads[i]).toBeNull();
      return 0;
    }
    const g = grads[i];
    if (!g) throw new Error(`${c.op}: no gradient for differentiable input ${i}`);
    expect(g.length).toBe(x.length);
    return fdWorst(() => dot(run().out, r), x, g);
  });
}

/** Normal values with |v| >= 0.1, so +-H never crosses ReLU's kink. */
const awayFromZero = (_i: number, rng: RandomStream, size: number): Float64Array =>
  rng.normalArray(size).map((v) => (v >= 0 ? v + 0.1 : v - 0.1));

const labelsFill =
  (k: number) =>
  (i: number, rng: RandomStream, size: number): Float64Array | undefined =>
    i === 1 ? Float64Array.from({ length: size }, () => rng.int(k)) : undefined;

/** Two label sets in [0, k) and a loss weight in [1/2, 1). */
const mixFill =
  (k: number) =>
  (i: number, rng: RandomStream, size: number): Float64Array | undefined =>
    i === 1 || i === 2 ? Float64Array.from({ length: size }, () => rng.int(k)) : i === 3 ? rng.uniformArray(size, 0.5, 1) : undefined;

// Running variance must be positive for a meaningful eval forward.
const bnFill = (i: number, rng: RandomStream, size: number): Float64Array | undefined =>
  i === 4 ? rng.uniformArray(size, 0.5, 2) : undefined;

const convCases: [string, Shape, Shape, number, number][] = [
  ['3x3 stride 1 pad 1, batch 1', [1, 2, 5, 7], [3, 2, 3, 3], 1, 1],
  ['3x3 stride 2 pad 1, batch 3', [3, 3, 7, 5], [2, 3, 3, 3], 2, 1],
  ['3x3 stride 2 pad 0, batch 3', [3, 2, 7, 7], [3, 2, 3, 3], 2, 0],
  ['1x1 stride 1 pad 0, batch 1', [1, 3, 5, 3], [2, 3, 1, 1], 1, 0],
  ['1x1 stride 2 pad 0, batch 3', [3, 3, 5, 5], [4, 3, 1, 1], 2, 0],
  ['3x1 stride 1 pad 1, batch 3', [3, 2, 4, 3], [2, 2, 3, 1], 1, 1],
];

const cases: [string, Case<OpName>][] = [
  ...convCases.map(([name, x, w, stride, pad]): [string, Case<'conv2d'>] => [
    `conv2d ${name}`,
    { op: 'conv2d', shapes: [x, w], attrs: { stride, pad } },
  ]),
  [
    'batchNorm train, n*h*w = 2',
    { op: 'batchNorm', shapes: [[1, 3, 1, 2], [3], [3], [3], [3]], attrs: { eps: 1e-5, momentum: 0.1 }, fill: bnFill },
  ],
  [
    'batchNorm train, batch 3',
    { op: 'batchNorm', shapes: [[3, 2, 3, 5], [2], [2], [2], [2]], attrs: { eps: 1e-5, momentum: 0.1 }, fill: bnFill },
  ],
  [
    'batchNorm eval, batch 3',
    { op: 'batchNorm', shapes: [[3, 2, 3, 5], [2], [2], [2], [2]], attrs: { eps: 1e-5, momentum: 0.1 }, mode: 'eval', fill: bnFill },
  ],
  ['relu', { op: 'relu', shapes: [[3, 2, 3, 5]], attrs: {}, fill: awayFromZero }],
  [
    'add',
    {
      op: 'add',
      shapes: [
        [3, 2, 3, 1],
        [3, 2, 3, 1],
      ],
      attrs: {},
    },
  ],
  ['scalarMul', { op: 'scalarMul', shapes: [[3, 2, 5, 3], [1]], attrs: {} }],
  ['scalarAdd', { op: 'scalarAdd', shapes: [[1, 3, 3, 5], [1]], attrs: {} }],
  ['maxPool 3x3 stride 2 pad 1, batch 1', { op: 'maxPool', shapes: [[1, 2, 7, 5]], attrs: { k: 3, stride: 2, pad: 1 } }],
  ['maxPool 2x2 stride 1 pad 1, batch 3', { op: 'maxPool', shapes: [[3, 2, 4, 3]], attrs: { k: 2, stride: 1, pad: 1 } }],
  ['globalAvgPool', { op: 'globalAvgPool', shapes: [[3, 2, 5, 3]], attrs: {} }],
  ['linear, batch 1', { op: 'linear', shapes: [[1, 5], [3, 5], [3]], attrs: {} }],
  ['linear, batch 3', { op: 'linear', shapes: [[3, 4], [5, 4], [5]], attrs: {} }],
  ['softmaxCrossEntropy, batch 1', { op: 'softmaxCrossEntropy', shapes: [[1, 4], [1]], attrs: {}, fill: labelsFill(4) }],
  ['softmaxCrossEntropy, batch 3', { op: 'softmaxCrossEntropy', shapes: [[3, 5], [3]], attrs: {}, fill: labelsFill(5) }],
  ['mixedCrossEntropy, batch 1', { op: 'mixedCrossEntropy', shapes: [[1, 4], [1], [1], [1]], attrs: {}, fill: mixFill(4) }],
  ['mixedCrossEntropy, batch 5', { op: 'mixedCrossEntropy', shapes: [[5, 3], [5], [5], [1]], attrs: {}, fill: mixFill(3) }],
];

describe('cpu op table: finite-difference gradients', () => {
  it('covers every op', () => {
    expect(new Set(cases.map(([, c]) => c.op))).toEqual(new Set(Object.keys(cpuOps)));
  });

  cases.forEach(([name, c], k) => {
    it(name, () => {
      const worst = checkOp(c, 100 + k);
      for (const w of worst) expect(w).toBeLessThanOrEqual(1);
    });
  });

  it('catches a wrong backward (relu passing the gradient through unmasked)', () => {
    const c: Case<'relu'> = { op: 'relu', shapes: [[2, 2, 3, 3]], attrs: {}, fill: awayFromZero };
    const worst = checkOp(c, 7, (dOut) => [dOut.slice()]);
    expect(worst[0]).toBeGreaterThan(1e3);
  });

  it('batchNorm eval backward is per example: dy of one example moves only its own dx', () => {
    const shape: Shape = [2, 2, 1, 3];
    const rng = new RandomStream(9, Streams.test);
    const inputs = [
      rng.normalArray(12),
      Float64Array.of(1.5, -0.5),
      Float64Array.of(0.1, 0.2),
      Float64Array.of(0.3, -1),
      Float64Array.of(2, 0.5),
    ];
    const shapes = [shape, [2], [2], [2], [2]];
    const attrs = { eps: 1e-5, momentum: 0.1 };
    const { out, saved } = cpuOps.batchNorm.forward(inputs, shapes, attrs, 'eval');
    const dy = new Float64Array(12);
    dy.fill(1, 0, 6);
    const [dx] = cpuOps.batchNorm.backward(dy, inputs, out, saved, shapes, attrs);
    expect(dx!.subarray(6).every((v) => v === 0)).toBe(true);
    expect(dx![0]).toBeCloseTo(1.5 / Math.sqrt(2 + 1e-5), 14);
    expect(dx![3]).toBeCloseTo(-0.5 / Math.sqrt(0.5 + 1e-5), 14);
  });
});

describe('cpu op table: forward semantics', () => {
  const shape: Shape = [3, 2, 2, 3];
  const attrs = { eps: 1e-5, momentum: 0.1 };
  const m = 3 * 2 * 3;
  const rng = new RandomStream(1, Streams.test);
  const x = rng.normalArray(numel(shape), 2).map((v, i) => v + (i % 12 < 6 ? 1 : -3));
  const gamma = Float64Array.of(1.5, 0.5);
  const beta = Float64Array.of(0.2, -0.1);
  const channel = (a: Float64Array, ch: number) => [...a].filter((_, i) => Math.floor(i / 6) % 2 === ch);

  it('batchNorm train normalises with batch stats and updates running stats in place (unbiased var)', () => {
    const rm = Float64Array.of(0.5, -0.5);
    const rv = Float64Array.of(2, 3);
    const { out } = cpuOps.batchNorm.forward([x, gamma, beta, rm, rv], [shape, [2], [2], [2], [2]], attrs, 'train');
    for (let ch = 0; ch < 2; ch++) {
      const xs = channel(x, ch);
      const mean = xs.reduce((a, b) => a + b) / m;
      const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
      expect(rm[ch]).toBeCloseTo(0.9 * [0.5, -0.5][ch] + 0.1 * mean, 12);
      expect(rv[ch]).toBeCloseTo(0.9 * [2, 3][ch] + 0.1 * (ss / (m - 1)), 12);
      const ys = channel(out, ch);
      xs.forEach((v, i) => expect(ys[i]).toBeCloseTo((gamma[ch] * (v - mean)) / Math.sqrt(ss / m + attrs.eps) + beta[ch], 12));
    }
  });

  it('batchNorm eval uses the running stats and leaves them alone', () => {
    const rm = Float64Array.of(0.5, -0.5);
    const rv = Float64Array.of(2, 3);
    const { out } = cpuOps.batchNorm.forward([x, gamma, beta, rm, rv], [shape, [2], [2], [2], [2]], attrs, 'eval');
    expect([...rm, ...rv]).toEqual([0.5, -0.5, 2, 3]);
    for (let ch = 0; ch < 2; ch++) {
      const ys = channel(out, ch);
      channel(x, ch).forEach((v, i) =>
        expect(ys[i]).toBeCloseTo((gamma[ch] * (v - rm[ch])) / Math.sqrt(rv[ch] + attrs.eps) + beta[ch], 12),
      );
    }
  });

  it('conv2d correlates (no flip): a delta input reads the filter back reversed around the tap', () => {
    const w = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const img = new Float64Array(25);
    img[2 * 5 + 1] = 1; // row 2, column 1
    const { out } = cpuOps.conv2d.forward(
      [img, w],
      [
        [1, 1, 5, 5],
        [1, 1, 3, 3],
      ],
      { stride: 1, pad: 1 },
      'train',
    );
    for (let oy = 0; oy < 5; oy++)
      for (let ox = 0; ox < 5; ox++) {
        const ky = 2 - oy + 1;
        const kx = 1 - ox + 1;
        const want = ky >= 0 && ky < 3 && kx >= 0 && kx < 3 ? w[ky * 3 + kx] : 0;
        expect(out[oy * 5 + ox]).toBe(want);
      }
  });

  it('linear is x @ w^T + b', () => {
    const { out } = cpuOps.linear.forward(
      [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1, 1, 1), Float64Array.of(10, 20, 30)],
      [[2, 2], [3, 2], [3]],
      {},
      'train',
    );
    expect([...out]).toEqual([11, 22, 33, 13, 24, 37]);
  });

  it('softmaxCrossEntropy is the batch mean of -log softmax[label]', () => {
    const logits = Float64Array.of(1, 2, 3, 0.5, -1, 0);
    const { out } = cpuOps.softmaxCrossEntropy.forward([logits, Float64Array.of(2, 0)], [[2, 3], [2]], {}, 'train');
    const nll = (row: number[], y: number) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[y];
    expect(out.length).toBe(1);
    expect(out[0]).toBeCloseTo((nll([1, 2, 3], 2) + nll([0.5, -1, 0], 0)) / 2, 14);
  });

  it('mixedCrossEntropy is cross-entropy against the soft label w * onehot(a) + (1 - w) * onehot(b)', () => {
    const logits = Float64Array.of(1, 2, 3, 0.5, -1, 0);
    const [a, b, w] = [Float64Array.of(2, 0), Float64Array.of(0, 0), 0.7];
    const { out } = cpuOps.mixedCrossEntropy.forward([logits, a, b, Float64Array.of(w)], [[2, 3], [2], [2], [1]], {}, 'train');
    const logSoftmax = (row: number[]) => row.map((v) => v - Math.log(row.reduce((s, u) => s + Math.exp(u), 0)));
    const soft = (y: number, z: number) => [0, 1, 2].map((j) => (j === y ? w : 0) + (j === z ? 1 - w : 0));
    const ce = (row: number[], t: number[]) => -logSoftmax(row).reduce((s, l, j) => s + t[j] * l, 0);
    expect(out[0]).toBeCloseTo((ce([1, 2, 3], soft(2, 0)) + ce([0.5, -1, 0], soft(0, 0))) / 2, 14);
    // With both labels equal it is the plain cross-entropy.
    const plain = cpuOps.softmaxCrossEntropy.forward([logits, a], [[2, 3], [2]], {}, 'train').out[0];
    expect(cpuOps.mixedCrossEntropy.forward([logits, a, a, Float64Array.of(w)], [[2, 3], [2], [2], [1]], {}, 'train').out[0]).toBeCloseTo(
      plain,
      14,
    );
    expect(() => inferShape('mixedCrossEntropy', [[2, 3], [2], [3], [1]], {}, 'loss')).toThrow(/two label sets \[n\]/);
  });

  it('maxPool: padding never wins, ties go to the first maximum, a bad window is named', () => {
    // 1 plane of 3x3, all negative: a zero pad must not be the maximum.
    const x = Float64Array.of(-5, -1, -3, -2, -1, -4, -6, -7, -8);
    const shapes = [[1, 1, 3, 3]];
    const { out, saved } = cpuOps.maxPool.forward([x], shapes, { k: 3, stride: 2, pad: 1 }, 'train');
    expect([...out]).toEqual([-1, -1, -1, -1]);
    expect([...saved![0]]).toEqual([1, 1, 4, 4]);
    const [dx] = cpuOps.maxPool.backward(Float64Array.of(1, 2, 3, 4), [x], out, saved, shapes, { k: 3, stride: 2, pad: 1 });
    expect([...dx!]).toEqual([0, 3, 0, 0, 7, 0, 0, 0, 0]);
    expect(() => inferShape('maxPool', shapes, { k: 3, stride: 2, pad: 2 }, 'pool')).toThrow(/pad must be an integer in \[0, 1\]/);
  });

  it('scalar ops, add and globalAvgPool', () => {
    const v = Float64Array.of(1, -2, 3, 4);
    expect([...cpuOps.scalarMul.forward([v, Float64Array.of(0.5)], [[4], [1]], {}, 'train').out]).toEqual([0.5, -1, 1.5, 2]);
    expect([...cpuOps.scalarAdd.forward([v, Float64Array.of(1)], [[4], [1]], {}, 'train').out]).toEqual([2, -1, 4, 5]);
    expect([...cpuOps.add.forward([v, v], [[4], [4]], {}, 'train').out]).toEqual([2, -4, 6, 8]);
    expect([...cpuOps.globalAvgPool.forward([v], [[1, 2, 1, 2]], {}, 'train').out]).toEqual([-0.5, 3.5]);
  });
});
