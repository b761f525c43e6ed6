// Training-step bench: ResNet-20 (width 16, BN, Type B) images/s on our engine vs a TF.js
// twin (tfResNet.ts) and a jax-js twin (jaxResNet.ts, the whole step in one jit) on the
// same adapter, all timed as "queue N steps, wait for the last"; plus our step split
// into phases (forward, backward, update+metrics) and into kernels. Markdown out;
// progress on stderr.

import type { Array as JaxArray } from '@jax-js/jax';
import type { Scalar } from '@tensorflow/tfjs-core';
import type { GpuContext } from '../src/gpu/device';
import { uploadArray } from '../src/gpu/readback';
import { numel } from '../src/engine/graph';
import type { OptimizerSpec } from '../src/engine/optimizer';
import { compileGraph, type CompiledProgram } from '../src/engine/webgpu/compile';
import { fusionEnabled, setFusion } from '../src/engine/webgpu/fusion';
import { GpuTrainSession } from '../src/engine/webgpu/trainSession';
import { byKernelKind, PROFILE_CSV_COLUMNS, profileCells, profileProblem, type KernelKindTime } from '../src/engine/webgpu/profile';
import { initHe } from '../src/nn/init/he';
import { buildResNet, type ResNetModel } from '../src/nn/resnet';
import { flopsPerExample } from '../src/nn/modelStats';
import { resnetPreset } from '../src/nn/resnetConfig';
import { makeBatch, type Batch } from './batch';
import { byKernel, profileCommands, type CommandTime } from './dispatchProfile';
import { fmt, table } from './harness';
import { buildJaxResNet } from './jaxResNet';
import type { Jax } from './jaxPeer';
import { buildTfResNet, toNhwc } from './tfResNet';
import type { Tf } from './tfPeer';

const LR = 0.05;
const OPTIMIZER: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 };

function batchFor(model: ResNetModel): Batch & { xNhwc: Float32Array } {
  const b = makeBatch(model);
  const [n, c, h, w] = model.graph.tensors[model.input].shape;
  return { ...b, xNhwc: toNhwc(b.x, n, c, h, w) };
}

/** Wall ms, and CPU ms of this whole process: SwiftShader runs the GPU work on this
 * process's threads, so CPU time counts the work and depends far less on other processes. */
interface Cost {
  wall: number;
  cpu: number;
}

/** Per-step cost of one block: `steps` steps queued by `queue`, then `wait`. */
async function blockCost(steps: number, queue: () => void, wait: () => Promise<unknown>): Promise<Cost> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) queue();
  await wait();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / steps, cpu: (c.user + c.system) / 1000 / steps };
}

const INF: Cost = { wall: Infinity, cpu: Infinity };
const better = (a: Cost, b: Cost): Cost => ({ wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });

/** Forward-only and forward+backward programs over buffers of their own, for the phase split. */
function phasePrograms(ctx: GpuContext, model: ResNetModel, values: ReadonlyMap<number, Float32Array>) {
  const g = model.graph;
  const owned: GPUBuffer[] = [];
  const buf = (data: Float32Array, label: string) => {
    const b = uploadArray(ctx, data, label);
    owned.push(b);
    return b;
  };
  const bound = new Map<number, GPUBuffer>();
  for (const [id, v] of values) bound.set(id, buf(v, g.tensors[id].name));
  for (const id of [model.input, model.labels, model.logits, model.loss])
    bound.set(id, buf(new Float32Array(numel(g.tensors[id].shape)), g.tensors[id].name));
  const params = g.tensors.filter((t) => t.role === 'param');
  const grads = new Map(params.map((p) => [p.id, buf(new Float32Array(numel(p.shape)), `d(${p.name})`)]));
  const seeds = new Map([[model.loss, buf(new Float32Array([1]), 'seed')]]);
  // The same folding of const scalars equal to 1 as GpuTrainSession does, so the phase
  // programs hold the same dispatches as the step's.
  const identityScalars = new Set(
    g.tensors.filter((t) => t.role === 'const' && numel(t.shape) === 1 && values.get(t.id)?.[0] === 1).map((t) => t.id),
  );
  const forward = compileGraph(ctx, { graph: g, mode: 'train', bound, identityScalars, label: 'bench forward' });
  const forwardBackward = compileGraph(ctx, {
    graph: g,
    mode: 'train',
    bound,
    backward: { seeds, grads },
    identityScalars,
    label: 'bench forward+backward',
  });
  return {
    input: bound.get(model.input)!,
    forward,
    forwardBackward,
    destroy() {
      forward.destroy();
      forwardBackward.destroy();
      owned.forEach((b) => ctx.pool.release(b));
    },
  };
}

/** Work per run, sized so --small finishes in minutes on a 2-core software rasteriser;
 * at batch 64 the phase and kernel split would push the run past 15 minutes there. */
function settings(small: boolean, detail?: boolean, batch?: number) {
  const s = small
    ? { batch: 8, steps: 2, reps: 2, checkSteps: 3, detail: detail ?? true }
    : { batch: 64, steps: 1, reps: 1, checkSteps: 1, detail: detail ?? false };
  return { ...s, batch: batch ?? s.batch };
}

export interface TrainStepBenchOptions {
  small: boolean;
  /** Phase and per-kernel split (default: on with --small only). */
  detail?: boolean;
  /** Images per step instead of the setting's (8 with --small, else 64). */
  batch?: number;
}

/** `tf` undefined: the TF.js peer is skipped (--no-tf). */
export async function benchTrainStep(ctx: GpuContext, tf: Tf | undefined, jax: Jax, opts: TrainStepBenchOptions): Promise<string> {
  const { batch, steps, reps, checkSteps, detail } = settings(opts.small, opts.detail, opts.batch);
  const log = (s: string) => console.error(`  [step] ${s}`);
  const model = buildResNet(resnetPreset('resnet20'), batch);
  const init = initHe(model, 1);
  const values = new Map([...init].map(([id, v]) => [id, Float32Array.from(v)]));
  const data = batchFor(model);
  const q = ctx.device.queue;

  // Ours: build (pipelines compile here), first step, then the untimed check steps.
  const compile0 = ctx.pipelines.compileMs;
  const t0 = performance.now();
  // Built as the lab builds it: tuning (when the context's tuner is on), then pipelines.
  let tuneMs = 0;
  const spec = {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values,
    optimizer: OPTIMIZER,
  };
  const session = await GpuTrainSession.create(ctx, spec, (done, total, phase) => {
    if (phase === 'tuning' && done === total) tuneMs = performance.now() - t0;
  });
  const buildMs = performance.now() - t0;
  const compileMs = ctx.pipelines.compileMs - compile0;
  // A/B: the same step compiled without fusion (same kernel choices), timed in the same blocks.
  const fused = fusionEnabled();
  let unfused: GpuTrainSession | undefined;
  if (fused) {
    setFusion(false);
    unfused = await GpuTrainSession.create(ctx, spec);
    setFusion(true);
  }
  const unfusedStep = () => unfused!.runStep(data.x, data.labels, LR);
  if (unfused) {
    unfusedStep();
    await unfused.readMetrics();
  }
  const oursStep = () => session.runStep(data.x, data.labels, LR);
  const oursLoss: number[] = [];
  const oursFirst = await blockCost(1, oursStep, async () => oursLoss.push(...(await session.readMetrics()).map((m) => m.loss)));
  for (let i = 1; i < checkSteps; i++) oursStep();
  oursLoss.push(...(await session.readMetrics()).map((m) => m.loss));
  log(
    `ours: build ${fmt(buildMs)} ms, first step ${fmt(oursFirst.wall)} ms (CPU ${fmt(oursFirst.cpu)} ms), losses ${oursLoss.map((l) => l.toFixed(5)).join(' ')}`,
  );

  // TF.js twin from the same initial values and the same batch.
  const peer = tf
    ? buildTfResNet(tf, model, init, {
        lr: LR,
        momentum: OPTIMIZER.kind === 'sgd' ? OPTIMIZER.momentum : 0,
        weightDecay: OPTIMIZER.weightDecay,
      })
    : undefined;
  const tfLoss: number[] = [];
  const tfCheck = async () => {
    const l = peer!.step(data.xNhwc, data.oneHot);
    tfLoss.push((await l.data())[0]);
    l.dispose();
  };
  let tfFirst = INF;
  if (peer) {
    tfFirst = await blockCost(1, () => undefined, tfCheck);
    for (let i = 1; i < checkSteps; i++) await tfCheck();
    log(`TF.js: first step ${fmt(tfFirst.wall)} ms (CPU ${fmt(tfFirst.cpu)} ms), losses ${tfLoss.map((l) => l.toFixed(5)).join(' ')}`);
  }

  // jax-js twin (NCHW like ours): its first step includes tracing and compiling the jit.
  const jx = buildJaxResNet(jax, model, init, {
    lr: LR,
    momentum: OPTIMIZER.kind === 'sgd' ? OPTIMIZER.momentum : 0,
    weightDecay: OPTIMIZER.weightDecay,
  });
  const jaxLoss: number[] = [];
  const jaxCheck = async () => {
    const l = jx.step(data.x, data.oneHot);
    jaxLoss.push((await l.data())[0]);
  };
  const jaxFirst = await blockCost(1, () => undefined, jaxCheck);
  for (let i = 1; i < checkSteps; i++) await jaxCheck();
  log(`jax-js: first step ${fmt(jaxFirst.wall)} ms (CPU ${fmt(jaxFirst.cpu)} ms), losses ${jaxLoss.map((l) => l.toFixed(5)).join(' ')}`);

  // Forward-only and forward+backward programs, each run once off the clock (first use
  // of fresh buffers costs extra: lazy zero-fill, page faults).
  const phases = detail ? phasePrograms(ctx, model, values) : undefined;
  const phaseStep = (p: CompiledProgram) => () => {
    q.writeBuffer(phases!.input, 0, data.x.buffer, data.x.byteOffset, data.x.byteLength);
    p.program.run();
  };
  if (phases) {
    phaseStep(phases.forward)();
    phaseStep(phases.forwardBackward)();
    await q.onSubmittedWorkDone();
  }

  // Timed blocks alternate between engines and phases so that a change in machine load
  // (other processes on 2 cores) hits all alike; best block of each.
  const best = { ours: INF, unfused: INF, tf: INF, jax: INF, fwd: INF, fwdBwd: INF };
  const tfLosses: Scalar[] = [];
  const jaxLosses: JaxArray[] = [];
  for (let r = 0; r < reps; r++) {
    best.ours = better(best.ours, await blockCost(steps, oursStep, () => session.readMetrics()));
    if (unfused) best.unfused = better(best.unfused, await blockCost(steps, unfusedStep, () => unfused.readMetrics()));
    if (peer)
      best.tf = better(
        best.tf,
        await blockCost(
          steps,
          () => tfLosses.push(peer.step(data.xNhwc, data.oneHot)),
          () => tfLosses[tfLosses.length - 1].data(),
        ),
      );
    tfLosses.splice(0).forEach((l) => l.dispose());
    best.jax = better(
      best.jax,
      await blockCost(
        steps,
        () => jaxLosses.push(jx.step(data.x, data.oneHot)),
        () => jaxLosses[jaxLosses.length - 1].data(),
      ),
    );
    jaxLosses.splice(0, jaxLosses.length - 1).forEach((l) => l.dispose());
    jaxLosses.splice(0);
    if (phases) {
      best.fwd = better(best.fwd, await blockCost(steps, phaseStep(phases.forward), () => q.onSubmittedWorkDone()));
      best.fwdBwd = better(best.fwdBwd, await blockCost(steps, phaseStep(phases.forwardBackward), () => q.onSubmittedWorkDone()));
    }
    log(
      `block ${r + 1}/${reps}, best wall/CPU ms per step so far: ${Object.entries(best)
        .map(([k, v]) => `${k} ${fmt(v.wall)}/${fmt(v.cpu)}`)
        .join(', ')}`,
    );
  }
  peer?.dispose();
  jx.dispose();

  // Per kernel: the session's own step program (a private field, read for the bench only).
  let commands: CommandTime[] = [];
  if (detail) {
    commands = await profileCommands(ctx.device, (session as unknown as { train: CompiledProgram }).train.program);
    log(
      `profile (CPU ms): ${byKernel(commands)
        .slice(0, 4)
        .map((k) => `${k.name} ${fmt(k.cpuMs)}`)
        .join(', ')}`,
    );
  }

  // The lab's own profile of one step (GPU timestamps), where the adapter has them.
  let gpuKinds: KernelKindTime[] | undefined;
  const timestampProblem = profileProblem(ctx.features);
  if (detail && !timestampProblem) {
    session.profileNextStep();
    oursStep();
    await session.readMetrics();
    gpuKinds = byKernelKind((await session.takeProfile())?.times ?? []);
  }

  const mem = session.plannedBytes;
  const unfusedDispatches = unfused?.dispatchesPerStep;
  unfused?.destroy();
  const dispatches = {
    step: session.dispatchesPerStep,
    forward: phases?.forward.dispatchCount ?? 0,
    forwardBackward: phases?.forwardBackward.dispatchCount ?? 0,
  };
  phases?.destroy();
  session.destroy();

  const ips = (ms: number) => fmt((batch * 1000) / ms);
  // Training ~ 3x the forward conv/fc FLOPs (forward, input gradient, weight gradient).
  const gflops = (ms: number) => fmt((3 * flopsPerExample(model.config) * batch) / (ms * 1e6));
  const mib = (b: number) => `${fmt(b / 2 ** 20)} MiB`;
  const row = (name: string, c: Cost, first: Cost) => [
    name,
    ips(c.wall),
    gflops(c.wall),
    fmt(c.wall),
    fmt(c.cpu),
    Number.isFinite(first.wall) ? `${fmt(first.wall)} / ${fmt(first.cpu)}` : '-',
    `**${fmt(c.wall / best.ours.wall)}x**`,
    `**${fmt(c.cpu / best.ours.cpu)}x**`,
  ];
  const out = [
    `ResNet-20 (width 16, BN, Type B), 32x32x3, 10 classes, batch ${batch}; SGD lr ${LR}, momentum 0.9, weight decay 5e-4 (PyTorch semantics), He init; ` +
      `best of ${reps} block(s) of ${steps} queued step(s), blocks alternating between engines, after ${checkSteps} untimed steps; same initial weights and batch on every side. ` +
      'jax-js runs the whole step (forward, backward, SGD) as one jit and does not update the BN running averages (they do not enter the loss or gradients).',
    '',
    table(
      [
        'engine',
        'images/s',
        'GFLOP/s (3x fwd)',
        'wall ms / step',
        'CPU ms / step',
        'first step wall / CPU ms',
        'ours speed-up (wall)',
        'ours speed-up (CPU)',
      ],
      [
        row(fused ? 'ours (fusion on)' : 'ours (fusion off)', best.ours, oursFirst),
        ...(unfused ? [row('ours, fusion off (A/B)', best.unfused, INF)] : []),
        row('jax-js 0.1.25 WebGPU (jit)', best.jax, jaxFirst),
        ...(peer ? [row('TF.js 4.22 WebGPU', best.tf, tfFirst)] : []),
      ],
    ),
    '',
    'Same model check, loss of each untimed step (step 1 = initial weights; later steps test gradients, weight decay, momentum):',
    '',
    table(
      ['step', 'ours', 'TF.js', 'jax-js', 'max |diff|'],
      oursLoss.map((l, i) => [
        String(i + 1),
        l.toFixed(5),
        tfLoss[i]?.toFixed(5) ?? '-',
        jaxLoss[i].toFixed(5),
        Math.max(Math.abs(l - (tfLoss[i] ?? l)), Math.abs(l - jaxLoss[i])).toExponential(1),
      ]),
    ),
    '',
    `Our step: ${dispatches.step} dispatches` +
      (unfusedDispatches !== undefined
        ? ` with fusion, ${unfusedDispatches} without (${fmt(unfusedDispatches / dispatches.step)}x fewer)`
        : ' (fusion off)') +
      `; activation/gradient/scratch memory ${mib(mem.planned)} planned vs ${mib(mem.naive)} naive (${fmt(mem.naive / mem.planned)}x less); ` +
      `session build ${fmt(buildMs)} ms, of which shader compile ${fmt(compileMs)} ms (ctx.pipelines.compileMs)` +
      (ctx.tuner.enabled
        ? ` and kernel tuning ${fmt(tuneMs)} ms (compile of the tuned variants included).`
        : '; kernel tuning off (fixed defaults).'),
  ];
  if (ctx.tuner.enabled) out.push('', ...tunedChoices(ctx));
  if (detail)
    out.push(
      '',
      ...phaseTable(best, dispatches, commands),
      '',
      ...kernelTable(commands, best.ours),
      '',
      ...gpuKindTable(gpuKinds, timestampProblem),
    );
  else out.push('', 'Phase and kernel split skipped at this size (see the --small run, or pass --detail).');
  return out.join('\n');
}

const pct = (ms: number, of: number) => `${((100 * ms) / of).toFixed(0)}%`;

/** CPU ms of the profiled commands in each phase: the step program records the forward
 * dispatches first, then the backward ones, then the epilogue. */
function profiledPhases(commands: readonly CommandTime[], d: { forward: number; forwardBackward: number }): [number, number, number] {
  const sums: [number, number, number] = [0, 0, 0];
  let dispatches = 0;
  for (const c of commands) {
    if (c.dispatch) dispatches += 1;
    sums[dispatches <= d.forward ? 0 : dispatches <= d.forwardBackward ? 1 : 2] += c.cpuMs;
  }
  return sums;
}

function phaseTable(
  c: { ours: Cost; fwd: Cost; fwdBwd: Cost },
  d: { step: number; forward: number; forwardBackward: number },
  commands: readonly CommandTime[],
): string[] {
  const prof = profiledPhases(commands, d);
  const profSum = prof[0] + prof[1] + prof[2];
  const row = (name: string, f: (k: keyof Cost) => number, dispatches: number, p: number) => [
    name,
    fmt(f('wall')),
    fmt(f('cpu')),
    pct(f('cpu'), c.ours.cpu),
    fmt(p),
    pct(p, profSum),
    String(dispatches),
  ];
  return [
    '#### Our step by phase',
    '',
    'Timed: forward-only and forward+backward programs compiled separately and timed like the step. Profiled: the commands of the step itself, each timed alone (see below), summed by phase.',
    '',
    table(
      ['phase', 'timed wall ms', 'timed CPU ms', 'timed share', 'profiled CPU ms', 'profiled share', 'dispatches'],
      [
        row('forward (train-mode BN)', (k) => c.fwd[k], d.forward, prof[0]),
        row('backward = (fwd+bwd) - fwd', (k) => c.fwdBwd[k] - c.fwd[k], d.forwardBackward - d.forward, prof[1]),
        row('update + metrics = step - (fwd+bwd)', (k) => c.ours[k] - c.fwdBwd[k], d.step - d.forwardBackward, prof[2]),
        row('full step', (k) => c.ours[k], d.step, profSum),
      ],
    ),
  ];
}

function kernelTable(commands: readonly CommandTime[], step: Cost): string[] {
  const kernels = byKernel(commands);
  const wall = kernels.reduce((s, k) => s + k.ms, 0);
  const cpu = kernels.reduce((s, k) => s + k.cpuMs, 0);
  return [
    '#### Our step by kernel (each command of one step submitted and timed alone; share of CPU time)',
    '',
    `Sums: ${fmt(wall)} ms wall / ${fmt(cpu)} ms CPU, vs ${fmt(step.wall)} / ${fmt(step.cpu)} ms for the batched step.`,
    '',
    table(
      ['kernel', 'dispatches', 'wall ms', 'CPU ms', 'share'],
      kernels.map((k) => [k.name, String(k.count), fmt(k.ms), fmt(k.cpuMs), pct(k.cpuMs, cpu)]),
    ),
  ];
}

/** The lab's Profile view for the same step: GPU timestamps per kernel kind. */
function gpuKindTable(kinds: KernelKindTime[] | undefined, problem: string | undefined): string[] {
  if (!kinds) return [`GPU-timed profile skipped: ${problem}`];
  return [
    "#### Our step by kernel kind, timed by the GPU (timestamp queries; the lab's Profile view)",
    '',
    table([...PROFILE_CSV_COLUMNS], kinds.map(profileCells)),
  ];
}

/** The tuner's choices for this step: how many conv shapes went to each variant, per kind. */
function tunedChoices(ctx: GpuContext): string[] {
  const byKind = new Map<string, Map<string, number>>();
  for (const [key, variant] of ctx.tuner.choices) {
    const kind = key.split(' ')[0];
    const counts = byKind.get(kind) ?? new Map<string, number>();
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
    byKind.set(kind, counts);
  }
  const rows = [...byKind].map(([kind, counts]) => [kind, [...counts].map(([v, n]) => `${v} x${n}`).join(', ')]);
  return ['Kernel variants the tuner chose for this step (distinct shapes per variant):', '', table(['kernel', 'chosen'], rows)];
}
