// Per-adapter kernel choice in the compiler: tests run with tuning off (fixed defaults);
// with it on, each conv (kind, shape) of a program is timed once per variant, the choice
// lands in the store, the program uses it, a second compile reuses it without timing, and
// the step still equals the float64 reference. Which variant wins is never asserted.

import { afterEach, describe, expect, it } from 'vitest';
import { KernelTuner, memoryTuneStore, opKey, type TuneStore } from '../../gpu/tuner';
import { conv2dForwardOp } from '../../gpu/kernels/conv2dForward';
import { runBackward, runForward } from '../cpu/interpreter';
import { GraphBuilder, numel } from '../graph';
import { compileGraphAsync, type CompilePhase, type KernelChoiceStats } from './compile';
import { setDebugLevel } from './debug';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, upload } from './testing';

/** Two convolutions (3x3 stride 1, then 3x3 stride 2) with a ReLU between, odd sizes. */
function convGraph() {
  const g = new GraphBuilder();
  const x = g.input('x', [2, 3, 9, 7]);
  const w1 = g.param('w1', [5, 3, 3, 3]);
  const w2 = g.param('w2', [6, 5, 3, 3]);
  const h = g.op('relu', [g.op('conv2d', [x, w1], { stride: 1, pad: 1 }, 'c1')], {}, 'r1');
  const y = g.op('conv2d', [h, w2], { stride: 2, pad: 1 }, 'c2');
  return { graph: g.build(), x, w1, w2, y };
}

const KINDS = ['conv2dForward', 'conv2dBackwardInput', 'conv2dBackwardFilter'];

/** Compiles forward + backward with `tuner`, runs it once, checks it against the reference;
 * returns the phases reported and the program's dispatch listing. */
async function compileAndCheck(
  tuner: KernelTuner | undefined,
): Promise<{ phases: [number, number, CompilePhase][]; listing: string; kernels?: KernelChoiceStats }> {
  const ctx = await gpuTestContext();
  const before = ctx.pool.getStats().inUseBytes;
  const { graph, x, w1, w2, y } = convGraph();
  const r = rng(5);
  const values = new Map(
    [x, w1, w2].map((id) => [id, Float64Array.from(Float32Array.from(r.normalArray(numel(graph.tensors[id].shape))))]),
  );
  const seed = Float64Array.from(Float32Array.from(r.normalArray(numel(graph.tensors[y].shape))));
  const bufs = new Map([...values].map(([id, v]) => [id, upload(ctx, v)]));
  const yBuf = ctx.pool.acquire(seed.length * 4);
  const grads = new Map([x, w1, w2].map((id) => [id, ctx.pool.acquire(values.get(id)!.length * 4)]));
  const seedBuf = upload(ctx, seed);
  const phases: [number, number, CompilePhase][] = [];
  let listing = '';
  setDebugLevel(1, (t) => (listing += t));
  const program = await compileGraphAsync(
    { ...ctx, tuner },
    { graph, mode: 'train', bound: new Map([...bufs, [y, yBuf]]), backward: { seeds: new Map([[y, seedBuf]]), grads }, label: 'convs' },
    (done, total, phase) => phases.push([done, total, phase]),
  );
  setDebugLevel(0);
  program.program.run();
  const fwd = runForward(graph, values, 'train');
  const ref = runBackward(graph, fwd, new Map([[y, seed]]), [x, w1, w2]);
  expectClose(await read(ctx, yBuf, seed.length), fwd.value(y), undefined, 'y');
  for (const [id, buf] of grads)
    expectClose(await read(ctx, buf, values.get(id)!.length), ref.get(id)!, undefined, `d${graph.tensors[id].name}`);
  program.destroy();
  releaseAndCheck(ctx, before, ...bufs.values(), yBuf, seedBuf, ...grads.values());
  return { phases, listing, kernels: program.kernelChoice };
}

describe('per-adapter kernel choice', () => {
  afterEach(() => setDebugLevel(0));

  it('is off in tests: the context runs fixed defaults and reports no tuning phase', async () => {
    const ctx = await gpuTestContext();
    expect(ctx.tuner.enabled).toBe(false);
    const { phases } = await compileAndCheck(ctx.tuner);
    expect(phases.some(([, , p]) => p === 'tuning')).toBe(false);
    expect(ctx.tuner.choices.size).toBe(0);
  });

  it('with tuning on: times each conv shape once, stores the choice, reuses it, matches the reference', async () => {
    const ctx = await gpuTestContext();
    const store = memoryTuneStore();
    const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'test adapter', store, runs: 1 });
    const { phases, kernels } = await compileAndCheck(tuner);
    const stored = store.data.get('test adapter') ?? {};
    expect([...kernels!.ops].sort()).toEqual(Object.keys(stored).sort());
    expect([...kernels!.timed].sort()).toEqual(Object.keys(stored).sort());
    // Two convolutions x three kinds, each timed once; progress counts up to that.
    expect(Object.keys(stored).sort()).toEqual([...tuner.choices.keys()].sort());
    for (const k of KINDS)
      expect(
        Object.keys(stored).filter((key) => key.startsWith(`${k} `)),
        k,
      ).toHaveLength(2);
    expect(phases.filter(([, , p]) => p === 'tuning').at(-1)).toEqual([6, 6, 'tuning']);
    for (const [key, ms] of tuner.timings) expect(Object.keys(ms), key).toContain('direct');

    // A new session on the same adapter loads the choices and times nothing.
    const again = new KernelTuner(ctx, { enabled: true, adapter: 'test adapter', store });
    const second = await compileAndCheck(again);
    expect(second.phases.some(([, , p]) => p === 'tuning')).toBe(false);
    expect(Object.fromEntries(again.choices)).toEqual(stored);
    expect([...second.kernels!.ops].sort()).toEqual(Object.keys(stored).sort());
    expect(second.kernels!.timed).toEqual([]);
  });

  it('choices timed with other kernels (another code hash) or in an old format are not used: the ops are timed again', async () => {
    const ctx = await gpuTestContext();
    const probe = new KernelTuner(ctx, { enabled: true, adapter: 'h', store: memoryTuneStore(), runs: 1 });
    const keys = (await compileAndCheck(probe)).kernels!.ops;
    const store = memoryTuneStore();
    // As a store would hold them after the kernels changed, and as a file from before the hash.
    const stale = Object.fromEntries(keys.map((k) => [k.replace(/#[0-9a-f]{16}$/, '#0000000000000000'), 'direct']));
    store.data.set('h', { ...stale, ...Object.fromEntries(keys.map((k) => [k.replace(/ #[0-9a-f]{16}$/, ''), 'direct'])) });
    const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'h', store, runs: 1 });
    const { kernels } = await compileAndCheck(tuner);
    expect([...kernels!.timed].sort()).toEqual([...keys].sort());
    // The stale entries were replaced, the old-format ones dropped.
    expect(Object.keys(store.data.get('h')!).sort()).toEqual([...keys].sort());
  });

  it('a store that cannot be read or written leaves tuning working for the session', async () => {
    const ctx = await gpuTestContext();
    const broken: TuneStore = {
      load: () => Promise.reject(new Error('no storage')),
      save: () => Promise.reject(new Error('quota')),
    };
    const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'x', store: broken, runs: 1 });
    const first = await compileAndCheck(tuner);
    expect(first.kernels?.timed.length).toBe(6);
    expect((await compileAndCheck(tuner)).kernels?.timed).toEqual([]);
  });

  it('turned on after the device was acquired: loads the store then, and tunes', async () => {
    const ctx = await gpuTestContext();
    const store = memoryTuneStore();
    const tuner = new KernelTuner(ctx, { enabled: false, adapter: 'late', store, runs: 1 });
    expect((await compileAndCheck(tuner)).kernels).toBeUndefined();
    tuner.enabled = true;
    expect((await compileAndCheck(tuner)).kernels?.timed.length).toBe(6);
    const next = new KernelTuner(ctx, { enabled: false, adapter: 'late', store });
    next.enabled = true;
    expect((await compileAndCheck(next)).kernels?.timed).toEqual([]);
  });

  it('the program runs the stored choice (direct everywhere here) and still matches the reference', async () => {
    const ctx = await gpuTestContext();
    const store = memoryTuneStore();
    const probe = new KernelTuner(ctx, { enabled: true, adapter: 'a', store: memoryTuneStore(), runs: 1 });
    await compileAndCheck(probe);
    await store.save('a', Object.fromEntries([...probe.choices.keys()].map((k) => [k, 'direct'])));
    const { listing } = await compileAndCheck(new KernelTuner(ctx, { enabled: true, adapter: 'a', store }));
    for (const k of KINDS) expect(listing).toContain(`${k}Direct`);
    expect(listing).not.toMatch(/conv2d\w*\(TM=/);
  });

  it('queues concurrent tune calls (runs compiling at once): the later one sees the choice', async () => {
    const ctx = await gpuTestContext();
    const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'c', runs: 1 });
    const op = conv2dForwardOp({ n: 1, cin: 3, cout: 5, h: 7, w: 5, kh: 3, kw: 3, stride: 1, pad: 1 });
    tuner.choose(op);
    const first = tuner.tune();
    let seen: string | undefined;
    const second = tuner.tune().then(() => (seen = tuner.choices.get(opKey(op))));
    await Promise.all([first, second]);
    expect(op.variants).toContain(seen);
  });

  it('ignores a stored variant the op does not offer, falling back to the default', async () => {
    const ctx = await gpuTestContext();
    const op = conv2dForwardOp({ n: 1, cin: 3, cout: 5, h: 7, w: 5, kh: 3, kw: 3, stride: 1, pad: 1 });
    const store = memoryTuneStore();
    await store.save('b', { [opKey(op)]: 'gemm64' }); // not a candidate for 5 output channels
    const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'b', store });
    await tuner.ready();
    expect(tuner.choose(op)).toBe(op.default);
    expect(tuner.pending.map(opKey)).toEqual([opKey(op)]);
  });
});
