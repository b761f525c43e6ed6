// Runtime pieces that need a real device: pool accounting, recorder batching and
// replay, readback, error scopes, and typed device-lost / uncaptured-error events.
import { describe, expect, it } from 'vitest';
import { defineKernel } from './kernel';
import { accumulate, elementwise } from './kernels/elementwise';
import { acquireNodeDevice } from './nodeGpu';
import { readFloat32, readRanges, uploadArray } from './readback';
import { CommandRecorder } from './recorder';
import { withErrorScopes, GpuOperationError } from './errorScope';
import type { GpuEvent } from './events';
import { BufferUsage } from './usage';

describe('GPU runtime', () => {
  it('acquires a device with the adapter limits and a summary for the UI', async () => {
    const ctx = await acquireNodeDevice();
    expect(ctx.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(ctx.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(typeof ctx.adapter.vendor).toBe('string');
    ctx.destroy();
  });

  it('pool reuses size classes and accounts bytes allocated vs in use', async () => {
    const ctx = await acquireNodeDevice();
    const a = ctx.pool.acquire(1000);
    const s1 = ctx.pool.getStats();
    expect(s1.inUseBytes).toBe(1024);
    ctx.pool.release(a);
    expect(ctx.pool.getStats().inUseBytes).toBe(0);
    const b = ctx.pool.acquire(1020);
    expect(b).toBe(a);
    expect(ctx.pool.getStats().allocatedBuffers).toBe(1);
    expect(() => ctx.pool.release(ctx.device.createBuffer({ size: 16, usage: BufferUsage.STORAGE }))).toThrow(/does not belong/);
    ctx.pool.release(b);
    expect(() => ctx.pool.release(b)).toThrow(/released twice/);
    ctx.pool.trim();
    expect(ctx.pool.getStats().allocatedBytes).toBe(0);
    ctx.destroy();
  });

  it('batches dispatches into one submit and replays a recorded program', async () => {
    const ctx = await acquireNodeDevice();
    const n = 300;
    const x = uploadArray(ctx, new Float32Array(n).fill(1));
    const y = uploadArray(ctx, new Float32Array(n).fill(0));
    const rec = new CommandRecorder(ctx);
    for (let i = 0; i < 5; i++) accumulate(rec, x, y, n);
    expect(rec.length).toBe(5);
    const program = rec.record('five adds');
    expect(rec.length).toBe(0);
    expect(program.dispatchCount).toBe(5);
    const inUseWithProgram = ctx.pool.getStats().inUseBytes;
    program.run();
    program.run();
    expect((await readFloat32(ctx, y, n)).every((v) => v === 10)).toBe(true);
    program.destroy();
    expect(ctx.pool.getStats().inUseBytes).toBeLessThan(inUseWithProgram);
    expect(() => program.run()).toThrow(/destroyed/);
    ctx.destroy();
  });

  it('copies, clears and reads several ranges in one readback', async () => {
    const ctx = await acquireNodeDevice();
    const src = uploadArray(
      ctx,
      Float32Array.from({ length: 64 }, (_, i) => i),
    );
    const dst = uploadArray(ctx, new Float32Array(64).fill(-1));
    const rec = new CommandRecorder(ctx);
    rec.copy(src, 0, dst, 0, 128);
    rec.clear(dst, 128, 64);
    rec.submit();
    const [a, b] = await readRanges(ctx, [
      { buffer: dst, offset: 0, bytes: 256 },
      { buffer: src, offset: 16, bytes: 8 },
    ]);
    const got = new Float32Array(a);
    expect(got[31]).toBe(31);
    expect(got[32]).toBe(0);
    expect(got[47]).toBe(0);
    expect(got[48]).toBe(-1);
    expect([...new Float32Array(b)]).toEqual([4, 5]);
    ctx.destroy();
  });

  it('rejects dispatches with the wrong buffers or too many workgroups', async () => {
    const ctx = await acquireNodeDevice();
    const rec = new CommandRecorder(ctx);
    const x = ctx.pool.acquire(16);
    const spec = defineKernel({
      name: 'k',
      code: '@group(0) @binding(0) var<storage, read_write> x: array<f32>;\n@compute @workgroup_size(1) fn main() { x[0] = 1.0; }',
    });
    expect(() => rec.dispatch({ kernel: spec, buffers: { x }, workgroups: [70_000] })).toThrow(/exceed the device limit/);
    expect(() => elementwise(rec, 'scale', { x, out: x }, 2 ** 33, { a: 1 })).toThrow(/u32 range/);
    expect(() => rec.dispatch({ kernel: spec, buffers: {}, workgroups: [1] })).toThrow(/no buffer for binding "x"/);
    expect(() => rec.dispatch({ kernel: spec, buffers: { x, y: x }, workgroups: [1] })).toThrow(/buffer "y" matches no binding/);
    expect(rec.length).toBe(0);
    ctx.destroy();
  });

  it('turns validation errors into typed exceptions inside error scopes', async () => {
    const ctx = await acquireNodeDevice();
    const bad = () => ctx.device.createBuffer({ size: 16, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE });
    await expect(withErrorScopes(ctx.device, 'bad buffer', bad)).rejects.toBeInstanceOf(GpuOperationError);
    ctx.destroy();
  });

  it('raises typed events for uncaptured errors and device loss', async () => {
    const ctx = await acquireNodeDevice();
    const events: GpuEvent[] = [];
    const next = (type: GpuEvent['type']) => new Promise<GpuEvent>((resolve) => ctx.events.on((e) => e.type === type && resolve(e)));
    ctx.events.on((e) => events.push(e));
    const error = next('gpu-error');
    ctx.device.createBuffer({ size: 16, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE });
    expect(await error).toMatchObject({ type: 'gpu-error', kind: 'validation' });
    const lost = next('device-lost');
    ctx.device.destroy();
    expect(await lost).toMatchObject({ type: 'device-lost' });
    expect(events.map((e) => e.type)).toEqual(['gpu-error', 'device-lost']);
  });
});
