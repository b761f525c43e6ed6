// matmul kernel (scalar and vec4 paths, all transposes, batches, alpha/beta, split grids)
// vs the float64 reference, with a per-element error bound derived from float32 summation.

import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../../gpu/device';
import { MATMUL_TILE, matmul, matmulCanVec4, matmulDispatches, type MatmulParams, type MatmulPlanOptions } from '../../gpu/kernels/matmul';
import { CommandRecorder } from '../../gpu/recorder';
import * as cpu from '../cpu/matmul';
import { gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

/** float32 unit roundoff. */
const U = 2 ** -24;
/** Higham & Mary's probabilistic bound for a length-k float32 dot product:
 * |err| <= LAMBDA * sqrt(k) * u * sum_l |a_il * b_lj|, failing with probability < 2k e^(-LAMBDA^2/2)
 * for independent rounding errors (and far less in practice); seeds are fixed, so no flakes.
 * The worst case k * u would be too loose to catch a dropped term at k = 129. */
const LAMBDA = 4;

/** Per-element allowed error: summation, plus a few roundings for alpha, beta * C and the add. */
function errorBound(a: Float64Array, b: Float64Array, p: MatmulParams, c?: Float64Array): Float64Array {
  const sums = cpu.matmul(a.map(Math.abs), b.map(Math.abs), { ...p, alpha: 1, beta: 0 });
  const alpha = Math.abs(p.alpha ?? 1);
  const beta = Math.abs(p.beta ?? 0);
  return sums.map((s, i) => (LAMBDA * Math.sqrt(p.k) + 3) * U * (alpha * s + (beta ? beta * Math.abs(c![i]) : 0)) + 1e-30);
}

/** A message naming the worst element outside its bound, or undefined when all are inside. */
function violation(actual: ArrayLike<number>, expected: ArrayLike<number>, bound: ArrayLike<number>): string | undefined {
  let worst = -1;
  let ratio = 1;
  for (let i = 0; i < expected.length; i++) {
    const r = Math.abs(actual[i] - expected[i]) / bound[i];
    if (!(r <= ratio)) {
      worst = i;
      ratio = Number.isNaN(r) ? Infinity : r;
    }
  }
  if (worst < 0) return undefined;
  return `element ${worst} is ${actual[worst]}, expected ${expected[worst]} (${ratio.toPrecision(3)} x the bound ${bound[worst].toExponential(2)})`;
}

/** Random inputs already rounded to float32, so the reference sees what the GPU sees. */
function f32Normal(seed: number, n: number): Float64Array {
  return Float64Array.from(Float32Array.from(rng(seed).normalArray(n)));
}

interface Outcome {
  gpu: Float64Array;
  ref: Float64Array;
  bound: Float64Array;
  /** 'vec4' or 'scalar' per dispatch: which load/store variant ran. */
  paths: string[];
}

/** Plan options, or `direct` for the barrier-free kernel (matmulDirect). */
type CaseOptions = MatmulPlanOptions & { direct?: boolean };

async function runCase(ctx: GpuContext, p: MatmulParams, opts: CaseOptions = {}, seed = 1): Promise<Outcome> {
  const batch = p.batch ?? 1;
  const [sa, sb, sc] = [batch * p.m * p.k, batch * p.k * p.n, batch * p.m * p.n];
  const a = f32Normal(seed, sa);
  const b = f32Normal(seed + 1000, sb);
  // With beta = 0 the kernel must not read C: NaN there would leak into the result.
  const c = p.beta ? f32Normal(seed + 2000, sc) : new Float64Array(sc).fill(NaN);
  // A NaN tail past every operand: a read beyond the data (even one multiplied by a zeroed
  // partner) poisons the result, and a write beyond C shows up in the tail.
  const pad = 16 * (p.m + p.n + p.k) + 64;
  const [ba, bb, bc] = [a, b, c].map((x) => upload(ctx, [...x, ...new Array<number>(pad).fill(NaN)]));
  const dispatches = opts.direct ? [] : matmulDispatches(ba, bb, bc, p, opts);
  await run(ctx, (rec) => (opts.direct ? matmul(rec, ba, bb, bc, p, { variant: 'direct' }) : dispatches.forEach((d) => rec.dispatch(d))));
  const all = await read(ctx, bc, sc + pad);
  for (const buf of [ba, bb, bc]) ctx.pool.release(buf);
  const gpu = all.subarray(0, sc);
  const written = all.subarray(sc).findIndex((v) => !Number.isNaN(v));
  if (written >= 0) expect.fail(`matmul ${JSON.stringify(p)} wrote past C at element ${sc + written}`);
  return {
    gpu,
    ref: cpu.matmul(a, b, p, c),
    bound: errorBound(a, b, p, c),
    paths: opts.direct ? ['direct'] : dispatches.map((d) => (d.kernel.name.startsWith('matmulVec4') ? 'vec4' : 'scalar')),
  };
}

async function expectMatmul(ctx: GpuContext, p: MatmulParams, opts: CaseOptions = {}, seed = 1): Promise<Outcome> {
  const out = await runCase(ctx, p, opts, seed);
  const msg = violation(out.gpu, out.ref, out.bound);
  if (msg) expect.fail(`matmul ${JSON.stringify(p)} ${out.paths[0]}: ${msg}`);
  return out;
}

/** alpha and beta, beta = 1 accumulation included, on a transposed B and a batched transposed A. */
async function expectAlphaBeta(ctx: GpuContext, opts: CaseOptions = {}): Promise<void> {
  for (const [alpha, beta] of [
    [-0.75, 1.5],
    [1, 1],
    [2, -1],
  ]) {
    await expectMatmul(ctx, { m: 33, n: 65, k: 31, transB: true, alpha, beta }, opts);
    await expectMatmul(ctx, { m: 20, n: 36, k: 24, transA: true, batch: 2, alpha, beta }, opts);
  }
}

const TRANSPOSES = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
];
const tag = (t: { transA: boolean; transB: boolean }) => `op(A)=${t.transA ? 'A^T' : 'A'}, op(B)=${t.transB ? 'B^T' : 'B'}`;

/** [m, n, k]: degenerate, odd, tile-straddling, a full vec4 tile, a 1-wide output. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [5, 3, 17],
  [33, 65, 31],
  [64, 64, 64],
  [67, 1, 129],
  [6, 8, 12],
  [20, 36, 24],
];

describe('matmul vs float64 reference', () => {
  for (const t of TRANSPOSES) {
    it(`${tag(t)}: odd shapes, vec4 whenever the layout allows`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      for (const [m, n, k] of SHAPES) {
        const p = { m, n, k, ...t };
        const { paths } = await expectMatmul(ctx, p, {}, m * 7 + n * 3 + k);
        expect(paths, `${m}x${n}x${k}`).toEqual([matmulCanVec4(p) ? 'vec4' : 'scalar']);
      }
      releaseAndCheck(ctx, before);
    });

    it(`${tag(t)}: batch 3 (scalar and vec4), and the scalar path on a vec4-ready shape`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      await expectMatmul(ctx, { m: 13, n: 9, k: 7, batch: 3, ...t });
      const v = await expectMatmul(ctx, { m: 8, n: 12, k: 20, batch: 3, ...t });
      expect(v.paths).toEqual(['vec4']);
      const s = await expectMatmul(ctx, { m: 64, n: 64, k: 64, ...t }, { allowVec4: false });
      expect(s.paths).toEqual(['scalar']);
      releaseAndCheck(ctx, before);
    });
  }

  it('alpha and beta (including beta = 1 accumulation) on both paths', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    await expectAlphaBeta(ctx);
    releaseAndCheck(ctx, before);
  });

  it('k = 0 gives beta * C; empty outputs record no dispatch', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    await expectMatmul(ctx, { m: 5, n: 6, k: 0, beta: 0.5 });
    const zero = await runCase(ctx, { m: 5, n: 6, k: 0 });
    expect(Array.from(zero.gpu)).toEqual(new Array(30).fill(0));
    const buf = upload(ctx, [1]);
    expect(matmulDispatches(buf, buf, buf, { m: 0, n: 4, k: 4 })).toHaveLength(0);
    expect(matmulDispatches(buf, buf, buf, { m: 4, n: 4, k: 4, batch: 0 })).toHaveLength(0);
    releaseAndCheck(ctx, before, buf);
  });

  it('a grid split at the workgroup limit computes the same result', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const scalar = await expectMatmul(ctx, { m: 130, n: 70, k: 5, batch: 2, transA: true }, { maxPerDim: 1 });
    expect(scalar.paths).toEqual(new Array(3 * 2 * 2).fill('scalar'));
    const vec4 = await expectMatmul(ctx, { m: 132, n: 72, k: 8, batch: 2, transB: true }, { maxPerDim: 2 });
    expect(vec4.paths).toEqual(new Array(2 * 1 * 1).fill('vec4'));
    releaseAndCheck(ctx, before);
  });

  it('the error check fails on a wrong answer', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    const p = { m: 33, n: 65, k: 129 };
    const out = await runCase(ctx, p);
    expect(violation(out.gpu, out.ref, out.bound)).toBeUndefined();
    // The largest term of one dot product dropped (a lost K step) must be caught.
    const a = f32Normal(1, p.m * p.k);
    const b = f32Normal(1001, p.k * p.n);
    let big = 0;
    for (let l = 1; l < p.k; l++) if (Math.abs(a[l] * b[l * p.n]) > Math.abs(a[big] * b[big * p.n])) big = l;
    const dropped = out.gpu.slice();
    dropped[0] -= a[big] * b[big * p.n];
    expect(violation(dropped, out.ref, out.bound)).toMatch(/element 0/);
    // The transposed problem's answer must not pass for this one.
    const wrong = cpu.matmul(a, b, { m: 33, n: 33, k: 33, transA: true });
    const right = cpu.matmul(a, b, { m: 33, n: 33, k: 33 });
    expect(violation(wrong, right, errorBound(a, b, { m: 33, n: 33, k: 33 }))).toBeDefined();
    releaseAndCheck(ctx, before);
  });
});

describe('direct (barrier-free) matmul vs float64 reference', () => {
  for (const t of TRANSPOSES) {
    it(`${tag(t)}: odd shapes (edge rows and columns read the last one, never stored), batch 3`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      for (const [m, n, k] of SHAPES) await expectMatmul(ctx, { m, n, k, ...t }, { direct: true }, m * 7 + n * 3 + k);
      await expectMatmul(ctx, { m: 13, n: 9, k: 7, batch: 3, ...t }, { direct: true });
      releaseAndCheck(ctx, before);
    });
  }

  it('alpha and beta (beta = 0 never reads C), k = 0', async () => {
    const ctx = await gpuTestContext();
    const before = ctx.pool.getStats().inUseBytes;
    await expectAlphaBeta(ctx, { direct: true });
    await expectMatmul(ctx, { m: 5, n: 6, k: 0, beta: 0.5 }, { direct: true });
    const zero = await runCase(ctx, { m: 5, n: 6, k: 0 }, { direct: true });
    expect(Array.from(zero.gpu)).toEqual(new Array(30).fill(0));
    releaseAndCheck(ctx, before);
  });
});

describe('matmul dispatch planning', () => {
  const fake = {} as GPUBuffer;
  const check = (p: MatmulParams, expectCount: number) => {
    const ds = matmulDispatches(fake, fake, fake, p);
    expect(ds).toHaveLength(expectCount);
    let groups = 0;
    for (const d of ds) {
      for (const w of d.workgroups) expect(w ?? 1).toBeLessThanOrEqual(65535);
      groups += (d.workgroups[0] ?? 1) * (d.workgroups[1] ?? 1) * (d.workgroups[2] ?? 1);
    }
    const tiles = Math.ceil(p.m / MATMUL_TILE.m) * Math.ceil(p.n / MATMUL_TILE.n) * (p.batch ?? 1);
    expect(groups, 'every output tile exactly once').toBe(tiles);
  };

  it('keeps every grid dimension within 65535 workgroups', () => {
    check({ m: 5_000_000, n: 64, k: 1 }, 2);
    check({ m: 64, n: 5_000_000, k: 1 }, 2);
    check({ m: 1, n: 1, k: 1, batch: 70_000 }, 2);
    check({ m: 64, n: 64, k: 64, batch: 3 }, 1);
  });

  it('rejects invalid or u32-overflowing shapes', () => {
    expect(() => matmulDispatches(fake, fake, fake, { m: 2.5, n: 1, k: 1 })).toThrow(RangeError);
    expect(() => matmulDispatches(fake, fake, fake, { m: 1, n: 1, k: -1 })).toThrow(RangeError);
    expect(() => matmulDispatches(fake, fake, fake, { m: 70_000, n: 70_000, k: 1 })).toThrow(/2\^32/);
  });

  it('records through a KernelSink', async () => {
    const ctx = await gpuTestContext();
    const rec = new CommandRecorder(ctx);
    const { matmul } = await import('../../gpu/kernels/matmul');
    matmul(rec, fake, fake, fake, { m: 3, n: 3, k: 3, batch: 2 });
    expect(rec.dispatches().map((d) => d.workgroups)).toEqual([[1, 1, 2]]);
  });
});
