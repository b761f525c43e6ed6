// SGD / Adam / AdamW update kernels vs the float64 reference over several steps. Each
// case records ONE program and replays it, rewriting only the hyper and grad buffers
// between runs (the engine's per-step pattern), so a baked lr would fail the test.

import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../../gpu/device';
import { withErrorScopes } from '../../gpu/errorScope';
import { ADAM_HYPER_BYTES, adamUpdate, packAdamHyper, type AdamHyper } from '../../gpu/kernels/adamUpdate';
import { packSgdHyper, SGD_HYPER_BYTES, sgdUpdate, type SgdHyper } from '../../gpu/kernels/sgdUpdate';
import { CommandRecorder } from '../../gpu/recorder';
import * as cpu from '../cpu/optimizers';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, upload, type Tolerance } from './testing';

const SIZES = [1, 7, 1000, 70_001];
const STEPS = 5;
/** A different lr every step, like a schedule. */
const lrAt = (base: number, t: number): number => base * (1 - 0.15 * t);

const SGD_CASES: Record<string, Omit<SgdHyper, 'lr' | 'firstStep'>> = {
  plain: { momentum: 0, weightDecay: 0, dampening: 0, nesterov: false },
  // dampening != 0 is what tells PyTorch's first step (buf = g) from a zero-initialised buffer.
  momentum: { momentum: 0.9, weightDecay: 0, dampening: 0.1, nesterov: false },
  'nesterov + weight decay': { momentum: 0.9, weightDecay: 0.05, dampening: 0, nesterov: true },
};

const ADAM_CASES: Record<string, Omit<AdamHyper, 'lr' | 'step'>> = {
  Adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
  'Adam + L2 weight decay': { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, decoupled: false },
  AdamW: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: true },
};

/** Per step each element sees a handful of f32 roundings (relative 6e-8 each); there is
 * no reduction, so after 5 steps the error stays within ~1e-6 of the buffer's scale
 * (cancellation, e.g. v*momentum + g near 0) and ~1e-6 relative elsewhere; 10x headroom.
 * The bound is taken relative to the buffer's max magnitude because Adam's v is ~1e-3
 * (expectClose scales atol by max(1, scale), hence the min). Still tight enough to see
 * 1 - 0.999 computed in f32 (1.3e-5 relative in v) or a stale lr (~1e-2). */
function tolFor(ref: Float64Array): Tolerance {
  const scale = ref.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
  return { atol: 1e-6 * Math.min(1, scale), rtol: 1e-5 };
}

const f32 = (a: Float64Array): Float64Array => Float64Array.from(Float32Array.from(a));

function write(ctx: GpuContext, buffer: GPUBuffer, data: Float32Array): void {
  ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
}

interface StepCase {
  /** Initial optimizer state per buffer (the GPU gets the same values). */
  state: Float64Array[];
  hyperBytes: number;
  record(rec: CommandRecorder, param: GPUBuffer, grad: GPUBuffer, state: GPUBuffer[], hyper: GPUBuffer): void;
  pack(t: number): Float32Array;
  cpuStep(param: Float64Array, grad: Float64Array, state: Float64Array[], t: number): void;
}

/** Runs STEPS updates from one recorded program on the GPU and the reference on the CPU. */
async function checkSteps(n: number, seed: number, c: StepCase): Promise<void> {
  const ctx = await gpuTestContext();
  const before = ctx.pool.getStats().inUseBytes;
  const r = rng(seed);
  const param = f32(r.normalArray(n));
  const grads = Array.from({ length: STEPS }, () => f32(r.normalArray(n)));
  const bParam = upload(ctx, param);
  const bGrad = upload(ctx, grads[0]);
  const bState = c.state.map((s) => upload(ctx, s));
  const hyper = ctx.pool.acquire(c.hyperBytes, undefined, 'hyper');
  await withErrorScopes(ctx.device, 'optimizer steps', () => {
    const rec = new CommandRecorder(ctx);
    c.record(rec, bParam, bGrad, bState, hyper);
    const program = rec.record('optimizer step');
    expect(program.dispatchCount).toBe(1);
    for (let t = 0; t < STEPS; t++) {
      write(ctx, bGrad, Float32Array.from(grads[t]));
      write(ctx, hyper, c.pack(t));
      program.run();
      c.cpuStep(param, grads[t], c.state, t);
    }
    program.destroy();
  });
  expectClose(await read(ctx, bParam, n), param, tolFor(param), 'param');
  for (let i = 0; i < bState.length; i++) {
    expectClose(await read(ctx, bState[i], n), c.state[i], tolFor(c.state[i]), `state ${i}`);
  }
  releaseAndCheck(ctx, before, bParam, bGrad, hyper, ...bState);
}

describe('SGD update vs float64 reference (5 steps, one recorded program)', () => {
  for (const [name, base] of Object.entries(SGD_CASES)) {
    for (const n of SIZES) {
      it(`${name} at n=${n}`, async () => {
        const hyperAt = (t: number): SgdHyper => ({ ...base, lr: lrAt(0.1, t), firstStep: t === 0 });
        await checkSteps(n, n + 11, {
          // Garbage on purpose: with momentum, step 1 must ignore it (PyTorch clones g);
          // without momentum, it must come back untouched.
          state: [f32(rng(n + 99).normalArray(n))],
          hyperBytes: SGD_HYPER_BYTES,
          record: (rec, p, g, [v], h) => sgdUpdate(rec, p, g, v, h, n),
          pack: (t) => packSgdHyper(hyperAt(t)),
          cpuStep: (p, g, [v], t) => cpu.sgdStep(p, g, v, hyperAt(t)),
        });
      });
    }
  }
});

describe('Adam / AdamW update vs float64 reference (5 steps, one recorded program)', () => {
  for (const [name, base] of Object.entries(ADAM_CASES)) {
    for (const n of SIZES) {
      it(`${name} at n=${n}`, async () => {
        const hyperAt = (t: number): AdamHyper => ({ ...base, lr: lrAt(1e-2, t), step: t + 1 });
        await checkSteps(n, n + 23, {
          state: [new Float64Array(n), new Float64Array(n)],
          hyperBytes: ADAM_HYPER_BYTES,
          record: (rec, p, g, [m, v], h) => adamUpdate(rec, p, g, m, v, h, n),
          pack: (t) => packAdamHyper(hyperAt(t)),
          cpuStep: (p, g, [m, v], t) => cpu.adamStep(p, g, m, v, hyperAt(t)),
        });
      });
    }
  }
});

describe('hyper packing', () => {
  it('rejects what torch.optim rejects', () => {
    const sgd = { lr: 0.1, momentum: 0, weightDecay: 0, dampening: 0, nesterov: true, firstStep: true };
    expect(() => packSgdHyper(sgd)).toThrow(/Nesterov/);
    expect(() => packSgdHyper({ ...sgd, momentum: 0.9, dampening: 0.1 })).toThrow(/Nesterov/);
    expect(() => packSgdHyper({ ...sgd, nesterov: false, lr: -1 })).toThrow(/>= 0/);
    const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 0 };
    expect(() => packAdamHyper(adam)).toThrow(/step/);
    expect(() => packAdamHyper({ ...adam, step: 1, beta2: 1 })).toThrow(/betas/);
  });

  it('computes the bias corrections in float64 from the step', () => {
    const h = packAdamHyper({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true, step: 3 });
    expect(Array.from(h.slice(5, 10))).toEqual([1 - 0.9 ** 3, 1 - 0.999 ** 3, 1, 1 - 0.9, 1 - 0.999].map(Math.fround));
  });
});
