// Whole-graph checks of the CPU interpreter: a hand-built 2-block residual network
// (Type B then Type C, with and without BatchNorm) whose every parameter gradient is
// compared with finite differences, gradient accumulation at fan-out, Jacobian rows,
// and BatchNorm's running-stat bookkeeping across train and eval passes.

import { describe, expect, it } from 'vitest';
import { jacobianRow, lossAndGradients, runBackward, runForward } from './interpreter';
import { GraphBuilder, numel, type Graph } from '../graph';
import { RandomStream, Streams } from '../../util/prng';
import { fdWorst } from './finiteDifference';

// Gradient checks: central differences, criterion in ./finiteDifference.ts.

interface Net {
  graph: Graph;
  input: number;
  loss: number;
  block1Out: number;
}

const N = 3;
const CIN = 2;
const SIZE = 5;
const CLASSES = 3;

/** stem conv3x3 -> relu; block 1 Type B (width 3); block 2 Type C, stride 2, width 4;
 * globalAvgPool; linear; softmaxCrossEntropy. BN after conv1, conv2 and the skip conv. */
function buildNet(bn: boolean): Net {
  const b = new GraphBuilder();
  const input = b.input('z', [N, CIN, SIZE, SIZE]);
  const labels = b.tensor('labels', [N], 'label');
  const norm = (x: number, name: string): number => {
    if (!bn) return x;
    const c = b.shape(x)[1];
    const args = [
      x,
      b.param(`${name}.gamma`, [c]),
      b.param(`${name}.beta`, [c]),
      b.tensor(`${name}.mean`, [c], 'state'),
      b.tensor(`${name}.var`, [c], 'state'),
    ];
    return b.op('batchNorm', args, { eps: 1e-5, momentum: 0.1 }, name);
  };
  const conv = (x: number, cout: number, k: number, stride: number, name: string): number => {
    const w = b.param(`${name}.w`, [cout, b.shape(x)[1], k, k]);
    return b.op('conv2d', [x, w], { stride, pad: k === 3 ? 1 : 0 }, name);
  };
  const block = (x: number, cout: number, stride: number, projection: boolean): number => {
    const f = norm(conv(b.op('relu', [norm(conv(x, cout, 3, stride, 'conv1'), 'bn1')], {}), cout, 3, 1, 'conv2'), 'bn2');
    const s = projection ? norm(conv(x, cout, 1, stride, 'skip'), 'bnSkip') : x;
    const skip = b.op('scalarMul', [s, b.param('aSkip', [1])], {}, 'skipScaled');
    const res = b.op('scalarMul', [f, b.param('aRes', [1])], {}, 'resScaled');
    return b.op('relu', [b.op('add', [skip, res], {})], {}, 'out');
  };
  const stem = b.scoped('stem', () => b.op('relu', [conv(input, 3, 3, 1, 'conv')], {}));
  const block1Out = b.scoped('block1', () => block(stem, 3, 1, false));
  const x2 = b.scoped('block2', () => block(block1Out, 4, 2, true));
  const pooled = b.op('globalAvgPool', [x2], {});
  const logits = b.op('linear', [pooled, b.param('fc.w', [CLASSES, 4]), b.param('fc.b', [CLASSES])], {});
  const loss = b.op('softmaxCrossEntropy', [logits, labels], {});
  return { graph: b.build(), input, loss, block1Out };
}

/** He-scaled weights; non-trivial scalars, gammas and betas so every path matters. */
function initValues(graph: Graph, seed: number): Map<number, Float64Array> {
  const rng = new RandomStream(seed, Streams.test);
  const values = new Map<number, Float64Array>();
  for (const t of graph.tensors) {
    const size = numel(t.shape);
    const leaf = t.name.split('.').pop()!;
    if (t.role === 'activation') continue;
    else if (t.role === 'label')
      values.set(
        t.id,
        Float64Array.from({ length: size }, () => rng.int(CLASSES)),
      );
    else if (leaf === 'aSkip' || leaf === 'aRes') values.set(t.id, Float64Array.of(0.5 + rng.uniform()));
    else if (leaf === 'gamma') values.set(t.id, rng.uniformArray(size, 0.5, 1.5));
    else if (leaf === 'mean' || leaf === 'beta') values.set(t.id, rng.normalArray(size, 0.1));
    else if (leaf === 'var') values.set(t.id, rng.uniformArray(size, 0.5, 2));
    else if (t.role === 'param' && t.shape.length === 4) values.set(t.id, rng.normalArray(size, Math.sqrt(2 / numel(t.shape.slice(1)))));
    else values.set(t.id, rng.normalArray(size));
  }
  return values;
}

/** The loss with state tensors copied, so BN's running-stat update never accumulates
 * across the many finite-difference evaluations. */
function lossWithFreshState(net: Net, values: Map<number, Float64Array>): number {
  const copy = new Map(values);
  for (const t of net.graph.tensors) if (t.role === 'state') copy.set(t.id, values.get(t.id)!.slice());
  return runForward(net.graph, copy, 'train').value(net.loss)[0];
}

describe('cpu interpreter: residual network gradients by finite differences', () => {
  for (const bn of [false, true]) {
    it(`every parameter and the input, ${bn ? 'with' : 'without'} BatchNorm`, () => {
      const net = buildNet(bn);
      const values = initValues(net.graph, bn ? 21 : 20);
      const params = net.graph.tensors.filter((t) => t.role === 'param');
      expect(params.length).toBe(bn ? 22 : 12);
      const stateIds = net.graph.tensors.filter((t) => t.role === 'state').map((t) => t.id);
      const stateBefore = stateIds.map((id) => values.get(id)!.slice());
      const { loss, grads } = lossAndGradients(net.graph, values, net.loss, 'train', [...params.map((t) => t.id), net.input]);
      expect(loss).toBeCloseTo(lossWithFreshState(net, values), 12);
      expect(Number.isFinite(loss) && loss > 0).toBe(true);
      const fresh = new Map(values);
      stateIds.forEach((id, i) => fresh.set(id, stateBefore[i]));
      const f = () => lossWithFreshState(net, fresh);
      for (const t of [...params, net.graph.tensors[net.input]]) {
        const g = grads.get(t.id)!;
        expect(
          g.some((v) => v !== 0),
          `${t.name} has an all-zero gradient`,
        ).toBe(true);
        expect(fdWorst(f, fresh.get(t.id)!, g), t.name).toBeLessThanOrEqual(1);
      }
    });
  }

  it('the check fails when a parameter gradient is wrong', () => {
    const net = buildNet(false);
    const values = initValues(net.graph, 20);
    const aRes = net.graph.tensors.find((t) => t.name === 'block2.aRes')!.id;
    const g = lossAndGradients(net.graph, values, net.loss).grads.get(aRes)!;
    expect(
      fdWorst(
        () => lossWithFreshState(net, values),
        values.get(aRes)!,
        g.map((v) => v * 1.001),
      ),
    ).toBeGreaterThan(10);
  });
});

describe('cpu interpreter: backward plumbing', () => {
  it('accumulates gradients of a tensor that feeds several ops', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3]);
    const a = b.param('a', [1]);
    const y = b.op('add', [x, b.op('scalarMul', [x, a], {})], {});
    const g = b.build();
    const fwd = runForward(
      g,
      new Map([
        [x, Float64Array.of(1, 2, 3, 4, 5, 6)],
        [a, Float64Array.of(0.25)],
      ]),
      'eval',
    );
    const grads = runBackward(g, fwd, new Map([[y, new Float64Array(6).fill(2)]]));
    expect([...grads.get(x)!]).toEqual(new Array(6).fill(2.5));
    expect([...grads.get(a)!]).toEqual([42]);
  });

  it('gives Jacobian rows of an inner activation w.r.t. the input', () => {
    const net = buildNet(false);
    const values = initValues(net.graph, 30);
    const fwd = runForward(net.graph, values, 'eval');
    const size = fwd.value(net.block1Out).length;
    const z = values.get(net.input)!;
    for (const index of [0, 37, size - 1]) {
      const row = jacobianRow(fwd, net.block1Out, index, net.input);
      const f = () => runForward(net.graph, values, 'eval').value(net.block1Out)[index];
      expect(fdWorst(f, z, row)).toBeLessThanOrEqual(1);
    }
  });

  it('returns zeros for a requested tensor that the seed does not reach', () => {
    const net = buildNet(false);
    const values = initValues(net.graph, 31);
    const fwd = runForward(net.graph, values, 'train');
    const fcB = net.graph.tensors.find((t) => t.name === 'fc.b')!.id;
    const seed = new Float64Array(fwd.value(net.block1Out).length).fill(1);
    const grads = runBackward(net.graph, fwd, new Map([[net.block1Out, seed]]), [fcB, net.input]);
    expect([...grads.get(fcB)!]).toEqual([0, 0, 0]);
    expect(grads.get(net.input)!.some((v) => v !== 0)).toBe(true);
  });

  it('rejects missing values and seeds of the wrong size', () => {
    const net = buildNet(false);
    const values = initValues(net.graph, 32);
    values.delete(net.input);
    expect(() => runForward(net.graph, values, 'train')).toThrow(/missing value for input tensor z/);
    const ok = initValues(net.graph, 32);
    const fwd = runForward(net.graph, ok, 'train');
    expect(() => runBackward(net.graph, fwd, new Map([[net.loss, Float64Array.of(1, 1)]]))).toThrow(/seed/);
  });
});

describe('cpu interpreter: BatchNorm modes', () => {
  const states = (net: Net, values: Map<number, Float64Array>) =>
    net.graph.tensors.filter((t) => t.role === 'state').map((t) => [...values.get(t.id)!]);

  it('train forward updates running stats in place; eval forward uses and keeps them', () => {
    const net = buildNet(true);
    const values = initValues(net.graph, 40);
    const before = states(net, values);
    const trainLoss = runForward(net.graph, values, 'train').value(net.loss)[0];
    const afterTrain = states(net, values);
    afterTrain.forEach((s, i) => expect(s).not.toEqual(before[i]));
    const evalLoss = runForward(net.graph, values, 'eval').value(net.loss)[0];
    expect(states(net, values)).toEqual(afterTrain);
    expect(evalLoss).not.toBeCloseTo(trainLoss, 6);
    // Eval output depends on the running stats; train output does not.
    const bumped = new Map(values);
    const meanId = net.graph.tensors.find((t) => t.name === 'block1.bn1.mean')!.id;
    bumped.set(
      meanId,
      values.get(meanId)!.map((v) => v + 0.5),
    );
    expect(runForward(net.graph, bumped, 'eval').value(net.loss)[0]).not.toBeCloseTo(evalLoss, 6);
    const trainAgain = (m: Map<number, Float64Array>) => {
      const c = new Map(m);
      for (const t of net.graph.tensors) if (t.role === 'state') c.set(t.id, m.get(t.id)!.slice());
      return runForward(net.graph, c, 'train').value(net.loss)[0];
    };
    expect(trainAgain(bumped)).toBe(trainAgain(values));
  });

  it('eval-mode gradients (running stats fixed) match finite differences', () => {
    const net = buildNet(true);
    const values = initValues(net.graph, 41);
    const wrt = [...net.graph.tensors.filter((t) => t.role === 'param').map((t) => t.id), net.input];
    const { grads } = lossAndGradients(net.graph, values, net.loss, 'eval', wrt);
    const f = () => runForward(net.graph, values, 'eval').value(net.loss)[0];
    for (const id of wrt) {
      const g = grads.get(id)!;
      const name = net.graph.tensors[id].name;
      expect(
        g.some((v) => v !== 0),
        `${name} has an all-zero gradient`,
      ).toBe(true);
      expect(fdWorst(f, values.get(id)!, g), name).toBeLessThanOrEqual(1);
    }
  });
});
