// Op conformance: every op of the GPU op table against the float64 CPU op table, forward
// and backward on odd shapes, with gradients overwritten, accumulated, and with only some
// gradient targets present. The case table is typed over every op name, so a new op does
// not compile until it has cases here.

import { describe, expect, it } from 'vitest';
import type { BufferRef } from '../../gpu/kernel';
import type { RandomStream } from '../../util/prng';
import { cpuOps, type CpuMode } from '../cpu/opTable';
import { numel, type Shape } from '../graph';
import { inferShape, OPS, type OpAttrs, type OpName } from '../ops';
import { gpuOps, type GpuOp } from './opTable';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload, uploadU32 } from './testing';

interface OpCase<K extends OpName> {
  label: string;
  shapes: Shape[];
  attrs: OpAttrs[K];
  mode?: CpuMode;
  /** Values of input i when not N(0, 1): labels, positive variances. */
  fill?: (i: number, n: number, r: RandomStream) => Float64Array | undefined;
  /** Inputs the GPU op gives gradients for (default: every input with grad in OPS). */
  grads?: readonly boolean[];
}

type CaseTable = { [K in OpName]: readonly OpCase<K>[] };

/** Mixup's loss inputs: two label sets in [0, k) and a weight in [1/2, 1). */
function mixFill(k: number) {
  return (i: number, n: number, r: RandomStream) =>
    i === 1 || i === 2 ? Float64Array.from({ length: n }, () => r.int(k)) : i === 3 ? r.uniformArray(n, 0.5, 1) : undefined;
}

const NONE = {} as Record<string, never>;
const BN = { eps: 1e-5, momentum: 0.1 };
const bnFill = (i: number, n: number, r: RandomStream) =>
  i === 4 ? r.uniformArray(n, 0.2, 2) : i === 1 ? r.uniformArray(n, -1.5, 1.5) : undefined;

const CASES: CaseTable = {
  conv2d: [
    {
      label: '3x3 pad 1 stride 1, 3->5 ch, 7x5',
      shapes: [
        [2, 3, 7, 5],
        [5, 3, 3, 3],
      ],
      attrs: { stride: 1, pad: 1 },
    },
    {
      label: '3x3 pad 1 stride 2, 4->6 ch, 9x8',
      shapes: [
        [1, 4, 9, 8],
        [6, 4, 3, 3],
      ],
      attrs: { stride: 2, pad: 1 },
    },
    {
      label: '1x1 pad 0 stride 2, 5->3 ch, 5x7',
      shapes: [
        [3, 5, 5, 7],
        [3, 5, 1, 1],
      ],
      attrs: { stride: 2, pad: 0 },
    },
  ],
  batchNorm: [
    { label: 'train, 5 ch, 4x3', shapes: [[3, 5, 4, 3], [5], [5], [5], [5]], attrs: BN, fill: bnFill },
    { label: 'train, batch 2 of 1x1 maps', shapes: [[2, 7, 1, 1], [7], [7], [7], [7]], attrs: BN, fill: bnFill },
    // Eval mode gives the input gradient only: nothing trains through running statistics.
    {
      label: 'eval, 3 ch, 5x3',
      shapes: [[2, 3, 5, 3], [3], [3], [3], [3]],
      attrs: BN,
      mode: 'eval',
      fill: bnFill,
      grads: [true, false, false, false, false],
    },
  ],
  relu: [{ label: '3x5x7x3', shapes: [[3, 5, 7, 3]], attrs: NONE }],
  add: [
    {
      label: '2x3x5x7',
      shapes: [
        [2, 3, 5, 7],
        [2, 3, 5, 7],
      ],
      attrs: NONE,
    },
  ],
  scalarMul: [{ label: '2x3x5x5 by a scalar', shapes: [[2, 3, 5, 5], [1]], attrs: NONE }],
  scalarAdd: [{ label: '2x3x5x5 plus a scalar', shapes: [[2, 3, 5, 5], [1]], attrs: NONE }],
  maxPool: [
    { label: '3x3 stride 2 pad 1 (the ImageNet stem), 3 ch, 9x7', shapes: [[2, 3, 9, 7]], attrs: { k: 3, stride: 2, pad: 1 } },
    { label: '3x3 stride 2 pad 1, batch 1, 2 ch, 6x5', shapes: [[1, 2, 6, 5]], attrs: { k: 3, stride: 2, pad: 1 } },
    { label: '2x2 stride 2 pad 0, odd size drops the last row, 4 ch, 7x5', shapes: [[3, 4, 7, 5]], attrs: { k: 2, stride: 2, pad: 0 } },
    { label: '3x3 stride 1 pad 1 (overlapping windows), 2 ch, 5x6', shapes: [[2, 2, 5, 6]], attrs: { k: 3, stride: 1, pad: 1 } },
  ],
  globalAvgPool: [{ label: '3x5 channels of 7x3', shapes: [[3, 5, 7, 3]], attrs: NONE }],
  linear: [{ label: '5x7 -> 3', shapes: [[5, 7], [3, 7], [3]], attrs: NONE }],
  softmaxCrossEntropy: [
    {
      label: '5 rows of 7 classes',
      shapes: [[5, 7], [5]],
      attrs: NONE,
      fill: (i, n, r) => (i === 1 ? Float64Array.from({ length: n }, () => r.int(7)) : undefined),
    },
  ],
  mixedCrossEntropy: [
    { label: 'batch 1 of 4 classes', shapes: [[1, 4], [1], [1], [1]], attrs: NONE, fill: mixFill(4) },
    {
      label: '7 rows of 1000 classes (many strides of the row workgroup)',
      shapes: [[7, 1000], [7], [7], [1]],
      attrs: NONE,
      fill: mixFill(1000),
    },
    { label: '257 rows of 3 classes (labels often equal)', shapes: [[257, 3], [257], [257], [1]], attrs: NONE, fill: mixFill(3) },
  ],
};

const f32 = (a: Float64Array) => a.map(Math.fround);
const TOL = { atol: 2e-5, rtol: 2e-4 };

/** Which gradient targets a backward variant passes, and whether it adds into them. */
interface Variant {
  name: string;
  want: boolean[];
  acc: boolean;
}

function variants(allowed: readonly boolean[]): Variant[] {
  const all = { name: 'all targets, overwritten', want: [...allowed], acc: false };
  const out = [all, { ...all, name: 'all targets, accumulated', acc: true }];
  allowed.forEach((ok, j) => {
    if (ok && allowed.filter(Boolean).length > 1) out.push({ name: `only input ${j}`, want: allowed.map((_, i) => i === j), acc: false });
  });
  return out;
}

async function conform<K extends OpName>(op: K, c: OpCase<K>): Promise<void> {
  const ctx = await gpuTestContext();
  const before = ctx.pool.getStats().inUseBytes;
  const gpu = gpuOps[op] as GpuOp<OpAttrs[K]>;
  const cpu = cpuOps[op] as (typeof cpuOps)[OpName] as unknown as {
    forward: (i: Float64Array[], s: Shape[], a: OpAttrs[K], m: CpuMode) => { out: Float64Array; saved?: Float64Array[] };
    backward: (
      d: Float64Array,
      i: Float64Array[],
      o: Float64Array,
      s: Float64Array[] | undefined,
      sh: Shape[],
      a: OpAttrs[K],
    ) => (Float64Array | null)[];
  };
  const mode = c.mode ?? 'train';
  const outShape = inferShape(op, c.shapes, c.attrs, c.label);
  const r = rng(numel(outShape) * 13 + c.shapes.length);
  const isLabels = (i: number) => OPS[op].inputs[i].labels === true;
  const inputs = c.shapes.map((s, i) => f32(c.fill?.(i, numel(s), r) ?? r.normalArray(numel(s))));

  // Forward: CPU on copies (train-mode BatchNorm updates its running stats in place).
  const cpuInputs = inputs.map((x) => x.slice());
  const ref = cpu.forward(cpuInputs, c.shapes, c.attrs, mode);
  const bufs = inputs.map((x, i) => (isLabels(i) ? uploadU32(ctx, x) : upload(ctx, x)));
  const out = ctx.pool.acquire(numel(outShape) * 4);
  const saved = (gpu.saved?.(c.shapes, c.attrs) ?? []).map((n) => ctx.pool.acquire(n * 4));
  const io = { inputs: bufs as BufferRef[], out, saved, shapes: c.shapes, outShape, mode };
  await run(ctx, (rec) => gpu.forward(rec, io, c.attrs));
  expectClose(await read(ctx, out, numel(outShape)), ref.out, TOL, `${op} forward`);
  for (const [i, spec] of OPS[op].inputs.entries()) {
    // Inputs an op updates in place (running statistics) must match too.
    if (!spec.grad && !isLabels(i))
      expectClose(await read(ctx, bufs[i], inputs[i].length), cpuInputs[i], TOL, `${op} ${spec.name} after forward`);
  }

  // Backward against the CPU gradients of the same forward.
  const dOut = f32(r.normalArray(numel(outShape)));
  const want = cpu.backward(dOut, cpuInputs, ref.out, ref.saved, c.shapes, c.attrs);
  const dOutBuf = upload(ctx, dOut);
  const allowed = c.grads ?? OPS[op].inputs.map((s) => s.grad);
  for (const v of variants(allowed)) {
    const prev = inputs.map((x) => f32(r.normalArray(x.length)));
    const targets = inputs.map((x, j) => (v.want[j] ? upload(ctx, v.acc ? prev[j] : new Float64Array(x.length).fill(1e3)) : null));
    await run(ctx, (rec) => gpu.backward(rec, { ...io, dOut: dOutBuf, grads: targets, acc: targets.map((t) => !!t && v.acc) }, c.attrs));
    for (const [j, t] of targets.entries()) {
      if (!t) continue;
      const g = want[j];
      expect(g, `${op} CPU gradient of input ${j}`).not.toBeNull();
      const expected = v.acc ? g!.map((x, k) => x + prev[j][k]) : g!;
      expectClose(await read(ctx, t, inputs[j].length), expected, TOL, `${op} d${OPS[op].inputs[j].name} (${v.name})`);
    }
    for (const t of targets) if (t) ctx.pool.release(t);
  }
  releaseAndCheck(ctx, before, ...bufs, out, ...saved, dOutBuf);
}

describe('op conformance: GPU op table vs float64 CPU op table', () => {
  for (const op of Object.keys(CASES) as OpName[]) {
    for (const c of CASES[op]) it(`${op}: ${c.label}`, () => conform(op, c as OpCase<typeof op>));
  }

  it('has cases for every op of the op set', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(OPS).sort());
  });
});
