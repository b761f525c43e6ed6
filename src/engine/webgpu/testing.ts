// Test harness for GPU kernels: one Node WebGPU context per test file (failing loudly
// with install instructions when no adapter exists), uploads, readback, tolerance
// checks against the float64 reference, and pool-leak checks. Used by *.test.ts only.

import { expect } from 'vitest';
import type { GpuContext, VariantChooser } from '../../gpu';
import { acquireNodeDevice } from '../../gpu/node';
import { readFloat32, uploadArray, CommandRecorder, withErrorScopes } from '../../gpu';
import { RandomStream, Streams } from '../../util';

let ctxPromise: Promise<GpuContext> | undefined;

export function gpuTestContext(): Promise<GpuContext> {
  ctxPromise ??= acquireNodeDevice().then((ctx) => {
    ctx.events.on((e) => {
      // Uncaptured errors must fail the test run, not vanish.
      throw new Error(`GPU event during tests: ${JSON.stringify(e)}`);
    });
    return ctx;
  });
  return ctxPromise;
}

export function rng(seed: number): RandomStream {
  return new RandomStream(seed, Streams.test);
}

export function upload(ctx: GpuContext, data: Float64Array | Float32Array | number[]): GPUBuffer {
  return uploadArray(ctx, data instanceof Float32Array ? data : Float32Array.from(data));
}

export function uploadU32(ctx: GpuContext, data: ArrayLike<number>): GPUBuffer {
  return uploadArray(ctx, Uint32Array.from(data));
}

/** Records with `fn`, submits under error scopes, so shader/validation errors throw here. */
/** Records `fn` and submits it; with `tuner`, kernels with variants run its choices. */
export async function run(ctx: GpuContext, fn: (rec: CommandRecorder) => void, tuner?: VariantChooser): Promise<void> {
  await withErrorScopes(ctx.device, 'test dispatch', () => {
    const rec = new CommandRecorder(ctx, tuner);
    fn(rec);
    rec.submit();
  });
}

/** The forward BatchNorm record a backward reads, coef[ch] = (mean, gamma*invStd, beta,
 * invStd), from float32 statistics, with the product rounded as the GPU rounds it. */
export function bnRecord(
  gamma: ArrayLike<number>,
  mean: ArrayLike<number>,
  invStd: ArrayLike<number>,
  beta?: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(4 * mean.length);
  for (let ch = 0; ch < mean.length; ch++) out.set([mean[ch], Math.fround(gamma[ch] * invStd[ch]), beta?.[ch] ?? 0, invStd[ch]], 4 * ch);
  return out;
}

/** Field j of every per-channel vec4 record (0 = mean, 3 = invStd for BatchNorm's). */
export function recordField(records: ArrayLike<number>, j: number): Float64Array {
  return Float64Array.from({ length: records.length / 4 }, (_, ch) => records[4 * ch + j]);
}

export async function read(ctx: GpuContext, buffer: GPUBuffer, n: number): Promise<Float64Array> {
  return Float64Array.from(await readFloat32(ctx, buffer, n));
}

export interface Tolerance {
  /** Absolute tolerance, scaled by the reference's largest magnitude when `relativeToMax`. */
  atol: number;
  rtol: number;
}

/** float32 accumulation over K terms: error grows ~ sqrt(K) * eps * scale. */
export const F32: Tolerance = { atol: 1e-5, rtol: 1e-4 };

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = F32, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const allowed = tol.atol * Math.max(1, scale) + tol.rtol * Math.abs(expected[i]);
    if (!(err <= allowed) && (worst < 0 || err > worstErr)) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${label}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (|err| ${worstErr.toExponential(2)}, scale ${scale.toExponential(2)})`,
    );
  }
}

/** Releases the given buffers and checks the pool is back where it started. */
export function releaseAndCheck(ctx: GpuContext, inUseBefore: number, ...buffers: GPUBuffer[]): void {
  for (const b of buffers) ctx.pool.release(b);
  expect(ctx.pool.getStats().inUseBytes, 'pool in-use bytes after the test').toBe(inUseBefore);
}
