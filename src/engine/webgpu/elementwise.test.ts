// The element-wise kernels (shaders/elementwise.wgsl) vs the float64 reference on odd
// sizes, written and accumulated, plus the checks on their buffers and uniform values.
// Batch-norm, bias and pooling element-wise kernels are tested with their ops.

import { describe, expect, it } from 'vitest';
import { CommandRecorder } from '../../gpu/recorder';
import { elementwise, type ElementwiseName, type ElementwiseParams } from '../../gpu/kernels/elementwise';
import { grid1d } from '../../gpu/kernels/common';
import * as cpu from '../cpu/elementwise';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const SIZES = [1, 7, 255, 257, 1000, 65537];
const S = -0.75;

interface Case {
  name: ElementwiseName;
  /** Which of x, y feed the named bindings. */
  inputs: Record<string, 'x' | 'y' | 'scalar'>;
  params?: ElementwiseParams;
  /** The reference from x, y (and for in-place kernels the previous out = y). */
  ref(x: Float64Array, y: Float64Array): Float64Array;
}

const CASES: Case[] = [
  { name: 'reluForward', inputs: { x: 'x' }, ref: (x) => cpu.reluForward(x) },
  { name: 'reluBackward', inputs: { x: 'x', dy: 'y' }, ref: (x, y) => cpu.reluBackward(x, y) },
  { name: 'scale', inputs: { x: 'x' }, params: { a: -2.5 }, ref: (x) => cpu.scale(-2.5, x) },
  { name: 'axpby', inputs: { x: 'x', y: 'y' }, params: { a: 0.5, b: -3 }, ref: (x, y) => cpu.axpby(0.5, x, -3, y) },
  { name: 'scalarAdd', inputs: { x: 'x', scalar: 'scalar' }, ref: (x) => cpu.scalarAdd(S, x) },
  { name: 'scalarMul', inputs: { x: 'x', scalar: 'scalar' }, ref: (x) => cpu.scale(S, x) },
];

describe('element-wise kernels vs float64 reference', () => {
  for (const n of SIZES) {
    it(`every one-input/two-input kernel, written and accumulated, at n=${n}`, async () => {
      const ctx = await gpuTestContext();
      const before = ctx.pool.getStats().inUseBytes;
      const r = rng(n);
      const x = r.normalArray(n);
      const y = r.normalArray(n);
      const prev = r.normalArray(n);
      const src = { x: upload(ctx, x), y: upload(ctx, y), scalar: upload(ctx, [S]) };
      const outs = CASES.map(() => ctx.pool.acquire(n * 4));
      const accs = CASES.map(() => upload(ctx, prev));
      await run(ctx, (rec) => {
        CASES.forEach((c, i) => {
          const buffers = Object.fromEntries(Object.entries(c.inputs).map(([name, from]) => [name, src[from]]));
          elementwise(rec, c.name, { ...buffers, out: outs[i] }, n, c.params);
          elementwise(rec, c.name, { ...buffers, out: accs[i] }, n, { ...c.params, accumulate: true });
        });
      });
      for (const [i, c] of CASES.entries()) {
        const want = c.ref(x, y);
        expectClose(await read(ctx, outs[i], n), want, undefined, c.name);
        expectClose(
          await read(ctx, accs[i], n),
          want.map((v, j) => v + prev[j]),
          undefined,
          `${c.name} accumulated`,
        );
      }
      releaseAndCheck(ctx, before, src.x, src.y, src.scalar, ...outs, ...accs);
    });
  }

  it('names a missing or unknown buffer and a missing or unread uniform before recording', async () => {
    const ctx = await gpuTestContext();
    const b = ctx.pool.acquire(64);
    const rec = new CommandRecorder(ctx);
    expect(() => elementwise(rec, 'axpby', { x: b, out: b }, 4, { a: 1, b: 1 })).toThrow(/axpby: no buffer for binding "y"/);
    expect(() => elementwise(rec, 'reluForward', { x: b, y: b, out: b }, 4)).toThrow(
      /reluForward: buffer "y" matches no binding the shader uses \(out, x\)/,
    );
    expect(() => elementwise(rec, 'scale', { x: b, out: b }, 4)).toThrow(/scale: uniform "a" is read by the shader but was not given/);
    expect(() => elementwise(rec, 'reluForward', { x: b, out: b }, 4, { a: 1 })).toThrow(
      /uniform "a" was given but the shader does not read it/,
    );
    expect(rec.length).toBe(0);
    ctx.pool.release(b);
  });

  it('folds large dispatches into a 2-D grid (more than 65535 workgroups of 1)', () => {
    const [gx, gy] = grid1d(70_000 * 256);
    expect(gx).toBeLessThanOrEqual(65535);
    expect(gy).toBeGreaterThan(1);
    expect(gx * gy * 256).toBeGreaterThanOrEqual(70_000 * 256);
  });
});
