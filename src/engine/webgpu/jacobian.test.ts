// GpuJacobian and GpuActivationProbe against the float64 CPU interpreter on a small
// hand-built graph with BatchNorm in eval mode, a stride-2 conv and a residual fan-out:
// every Jacobian row (more rows than the batch, so several chunks and a partial last
// one), activations, value updates, and that every buffer goes back to the pool.

import { describe, expect, it } from 'vitest';
import { jacobianRow, runForward } from '../cpu/interpreter';
import { GraphBuilder, numel, type Graph } from '../graph';
import { GpuActivationProbe } from './activationProbe';
import { GpuJacobian } from './jacobian';
import { expectClose, gpuTestContext, rng } from './testing';

const B = 3;

interface Net {
  graph: Graph;
  input: number;
  mid: number;
  out: number;
  loss: number;
}

/** z [B,2,5,5] -> conv3x3 -> BN -> relu (mid) -> [conv3x3 s2 -> BN] + [conv1x1 s2] -> relu
 * (out, [B,3,3,3]) -> pool -> linear -> loss (which the probes must not need). */
function buildNet(): Net {
  const b = new GraphBuilder();
  const input = b.input('z', [B, 2, 5, 5]);
  const labels = b.tensor('labels', [B], 'label');
  const bn = (x: number, name: string) => {
    const c = [b.shape(x)[1]];
    return b.op(
      'batchNorm',
      [x, b.param(`${name}.g`, c), b.param(`${name}.b`, c), b.tensor(`${name}.m`, c, 'state'), b.tensor(`${name}.v`, c, 'state')],
      { eps: 1e-5, momentum: 0.1 },
      name,
    );
  };
  const mid = b.op('relu', [bn(b.op('conv2d', [input, b.param('w1', [4, 2, 3, 3])], { stride: 1, pad: 1 }), 'bn1')], {}, 'mid');
  const branch = bn(b.op('conv2d', [mid, b.param('w2', [3, 4, 3, 3])], { stride: 2, pad: 1 }), 'bn2');
  const skip = b.op('conv2d', [mid, b.param('ws', [3, 4, 1, 1])], { stride: 2, pad: 0 });
  const out = b.op('relu', [b.op('add', [branch, skip], {})], {}, 'out');
  const logits = b.op('linear', [b.op('globalAvgPool', [out], {}), b.param('fc', [2, 3]), b.param('fcb', [2])], {});
  const loss = b.op('softmaxCrossEntropy', [logits, labels], {});
  return { graph: b.build(), input, mid, out, loss };
}

/** float32-representable values; running variances in [0.2, 2], gammas of both signs. */
function values(graph: Graph, seed: number): Map<number, Float64Array> {
  const r = rng(seed);
  const v = new Map<number, Float64Array>();
  for (const t of graph.tensors) {
    const n = numel(t.shape);
    if (t.role === 'param' || t.role === 'state') {
      const raw = t.name.endsWith('.v')
        ? r.uniformArray(n, 0.2, 2)
        : t.name.endsWith('.g')
          ? r.uniformArray(n, -1.5, 1.5)
          : r.normalArray(n, 0.6);
      v.set(t.id, raw.map(Math.fround));
    }
  }
  return v;
}

function cpuJacobian(net: Net, vals: Map<number, Float64Array>, z: Float64Array, target: number): Float64Array {
  const all = new Map(vals);
  all.set(
    net.input,
    Float64Array.from({ length: B * z.length }, (_, i) => z[i % z.length]),
  );
  all.set(net.graph.tensors.find((t) => t.role === 'label')!.id, new Float64Array(B));
  const fwd = runForward(net.graph, all, 'eval');
  const m = numel(net.graph.tensors[target].shape) / B;
  const out = new Float64Array(m * z.length);
  // Row r of example 0 only: the other examples must not leak into it.
  for (let row = 0; row < m; row++) out.set(jacobianRow(fwd, target, row, net.input).subarray(0, z.length), row * z.length);
  return out;
}

// float32 through two convs and two BNs: errors ~1e-6 of the row scale.
const TOL = { atol: 2e-5, rtol: 2e-4 };

describe('GpuJacobian vs float64 CPU', () => {
  it('gives every row of d(out)/dz and d(mid)/dz, and follows setValues', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const net = buildNet();
    const z = rng(5).normalArray(50).map(Math.fround);
    for (const target of [net.out, net.mid]) {
      const v1 = values(net.graph, 1);
      const jac = new GpuJacobian(ctx, { graph: net.graph, input: net.input, target, values: v1 });
      expect([jac.rowCount, jac.colCount, jac.batch]).toEqual([target === net.out ? 27 : 100, 50, B]);
      const got = await jac.rows(z);
      const want = cpuJacobian(net, v1, z, target);
      expect(want.some((x) => x !== 0)).toBe(true);
      expectClose(got, want, TOL, `J of ${net.graph.tensors[target].name}`);
      const v2 = values(net.graph, 2);
      jac.setValues(v2);
      expectClose(await jac.rows(z), cpuJacobian(net, v2, z, target), TOL, 'J after setValues');
      jac.destroy();
      jac.destroy();
      await expect(jac.rows(z)).rejects.toThrow(/after destroy/);
    }
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });

  it('rejects bad probes, missing values and non-activation targets, leaking nothing', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const net = buildNet();
    const v = values(net.graph, 3);
    const jac = new GpuJacobian(ctx, { graph: net.graph, input: net.input, target: net.out, values: v });
    await expect(jac.rows(new Float64Array(49))).rejects.toThrow(/probe has 49 values/);
    jac.destroy();
    const missing = new Map(v);
    missing.delete(net.graph.tensors.find((t) => t.name === 'bn2.v')!.id);
    expect(() => new GpuJacobian(ctx, { graph: net.graph, input: net.input, target: net.out, values: missing })).toThrow(
      /no value for state tensor bn2.v/,
    );
    const fc = net.graph.tensors.find((t) => t.name === 'fc')!.id;
    expect(() => new GpuJacobian(ctx, { graph: net.graph, input: net.input, target: fc, values: v })).toThrow(/fc is not an activation/);
    const g = new GraphBuilder();
    g.input('z', [B, 4]);
    const p = g.param('p', [B, 4]);
    const free = g.op('relu', [p], {});
    expect(() => new GpuJacobian(ctx, { graph: g.build(), input: 0, target: free, values: new Map([[p, new Float64Array(12)]]) })).toThrow(
      /does not depend on z/,
    );
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });
});

describe('GpuActivationProbe vs float64 CPU', () => {
  it('reads back chosen activations of an eval-mode forward without needing labels', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const net = buildNet();
    const v = values(net.graph, 4);
    const x = rng(6)
      .normalArray(B * 50)
      .map(Math.fround);
    const probe = new GpuActivationProbe(ctx, { graph: net.graph, input: net.input, outputs: [net.out, net.mid], values: v });
    const [out, mid] = await probe.run(x);
    const all = new Map(v);
    all.set(net.input, x);
    all.set(net.graph.tensors.find((t) => t.role === 'label')!.id, new Float64Array(B));
    const fwd = runForward(net.graph, all, 'eval');
    expectClose(out, fwd.value(net.out), TOL, 'out');
    expectClose(mid, fwd.value(net.mid), TOL, 'mid');
    probe.destroy();
    expect(ctx.pool.getStats().inUseBytes).toBe(before);
  });
});
