// Quick end-to-end check of a WebGPU device: runs a few kernels on random data and
// compares with the float64 reference. Lets the app (and e2e tests) prove that real
// WGSL ran on the user's adapter. Not a test suite; the kernel tests live beside it.

import { acquireDevice, type AdapterSummary, elementwise, readFloat32, uploadArray, CommandRecorder } from '../../gpu';
import { RandomStream, Streams } from '../../util';
import * as cpu from '../cpu/elementwise';

export interface SelfCheckResult {
  adapter: AdapterSummary;
  limits: { maxStorageBufferBindingSize: number; maxComputeWorkgroupsPerDimension: number; maxBufferSize: number };
  maxAbsError: number;
  elements: number;
  milliseconds: number;
}

export async function runSelfCheck(gpu: GPU | undefined, n = 4099): Promise<SelfCheckResult> {
  const t0 = performance.now();
  const ctx = await acquireDevice(gpu, { installHint: 'Use a recent Chrome or Edge, or start Chromium with --enable-unsafe-webgpu.' });
  try {
    const r = new RandomStream(1, Streams.test);
    const x = r.normalArray(n);
    const y = r.normalArray(n);
    const bx = uploadArray(ctx, Float32Array.from(x));
    const by = uploadArray(ctx, Float32Array.from(y));
    const tmp = ctx.pool.acquire(n * 4);
    const out = ctx.pool.acquire(n * 4);
    const rec = new CommandRecorder(ctx);
    elementwise(rec, 'axpby', { x: bx, y: by, out: tmp }, n, { a: 0.5, b: -2 });
    elementwise(rec, 'reluForward', { x: tmp, out }, n);
    rec.submit();
    const got = await readFloat32(ctx, out, n);
    const want = cpu.reluForward(cpu.axpby(0.5, x, -2, y));
    let maxAbsError = 0;
    for (let i = 0; i < n; i++) maxAbsError = Math.max(maxAbsError, Math.abs(got[i] - want[i]));
    [bx, by, tmp, out].forEach((b) => ctx.pool.release(b));
    const { maxStorageBufferBindingSize, maxComputeWorkgroupsPerDimension, maxBufferSize } = ctx.limits;
    return {
      adapter: ctx.adapter,
      limits: { maxStorageBufferBindingSize, maxComputeWorkgroupsPerDimension, maxBufferSize },
      maxAbsError,
      elements: n,
      milliseconds: performance.now() - t0,
    };
  } finally {
    ctx.destroy();
  }
}
