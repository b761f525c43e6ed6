// The browser bench page (`npm run bench:browser`, driven by bench/browser/run.ts): in
// Chromium's own WebGPU, (1) time to the first step with pipelines created one by one vs
// asynchronously, (2) ResNet-20 training steps, ours vs jax-js (whole step in one jit) on
// the same adapter and batch, (3) build to first loss for the lab's default experiment's
// model, ours vs jax-js. Wall time only (a page has no CPU clock). The result, as
// Markdown, goes to #out and window.__benchResult.

import { acquireDevice, type GpuContext } from '../../src/gpu/device';
import type { OptimizerSpec } from '../../src/engine/optimizer';
import { GpuTrainSession } from '../../src/engine/webgpu/trainSession';
import { initHe } from '../../src/nn/init/he';
import { buildResNet, type ResNetModel } from '../../src/nn/resnet';
import { resnetPreset } from '../../src/nn/resnetConfig';
import { makeBatch } from '../batch';
import { benchFirstStep } from '../firstStep';
import { fmt, table } from '../harness';
import { loadJaxWebGpu } from '../jaxPeer';
import { buildJaxResNet } from '../jaxResNet';
import { defaultExperiment } from '../../src/lab/experimentFields';
import { initialValues, resnetConfigFor } from '../../src/lab/modelFactory';

const LR = 0.05;
const OPTIMIZER: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 };
const params = new URLSearchParams(location.search);
const small = params.get('small') !== '0';
const only = params.get('only');
const out = document.getElementById('out')!;
const log = (line: string) => console.log(line);

/** Our training session for `model` from `init`, built as the lab builds it. */
function sessionFor(ctx: GpuContext, model: ResNetModel, init: ReadonlyMap<number, Float64Array>, optimizer: OptimizerSpec) {
  const values = new Map([...init].map(([id, v]) => [id, Float32Array.from(v)]));
  const { graph, input, labels, logits, loss } = model;
  return GpuTrainSession.create(ctx, { graph, input, labels, logits, loss, values, optimizer });
}

async function stepBench(gpu: GPU): Promise<string> {
  const batch = Number(params.get('batch') ?? (small ? 8 : 64));
  const steps = 2;
  const reps = 2;
  const model = buildResNet(resnetPreset('resnet20'), batch);
  const init = initHe(model, 1);
  const data = makeBatch(model);
  const ctx = await acquireDevice(gpu);
  const t0 = performance.now();
  const session = await sessionFor(ctx, model, init, OPTIMIZER);
  session.runStep(data.x, data.labels, LR);
  const losses = { ours: [(await session.readMetrics())[0].loss], jax: [] as number[] };
  // From building the session (pipelines included) or the jit to the first loss read back.
  const first = { ours: performance.now() - t0, jax: 0 };
  const jax = await loadJaxWebGpu(gpu);
  const j0 = performance.now();
  const peer = buildJaxResNet(jax, model, init, { lr: LR, momentum: 0.9, weightDecay: 5e-4 });
  losses.jax.push((await peer.step(data.x, data.oneHot).data())[0]);
  first.jax = performance.now() - j0;
  for (let i = 1; i < 3; i++) {
    session.runStep(data.x, data.labels, LR);
    losses.ours.push((await session.readMetrics())[0].loss);
    losses.jax.push((await peer.step(data.x, data.oneHot).data())[0]);
  }
  log(`losses ours ${losses.ours.join(' ')} / jax-js ${losses.jax.join(' ')}`);
  const best = { ours: Infinity, jax: Infinity };
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) session.runStep(data.x, data.labels, LR);
    await session.readMetrics();
    best.ours = Math.min(best.ours, (performance.now() - t0) / steps);
    t0 = performance.now();
    let last;
    for (let i = 0; i < steps; i++) last = peer.step(data.x, data.oneHot);
    await last!.data();
    best.jax = Math.min(best.jax, (performance.now() - t0) / steps);
    log(`block ${r + 1}/${reps}: ours ${fmt(best.ours)} ms, jax-js ${fmt(best.jax)} ms per step`);
  }
  peer.dispose();
  session.destroy();
  ctx.destroy();
  const ips = (ms: number) => fmt((batch * 1000) / ms);
  return [
    `ResNet-20 (width 16, BN), batch ${batch}, same weights and batch; best of ${reps} blocks of ${steps} queued steps after 3 untimed ones; build to first loss: ours from creating the training session (its pipelines) to the first loss read back, jax-js from building its step to the first loss (tracing and compiling its jit). Kernels: the adapter's fixed choice (no tuning).`,
    '',
    table(
      ['engine', 'images/s', 'wall ms / step', 'build to first loss ms', 'ours speed-up'],
      [
        ['ours', ips(best.ours), fmt(best.ours), fmt(first.ours), '1.00x'],
        ['jax-js 0.1.25 WebGPU (jit)', ips(best.jax), fmt(best.jax), fmt(first.jax), `**${fmt(best.jax / best.ours)}x**`],
      ],
    ),
    '',
    table(
      ['step', 'ours', 'jax-js'],
      losses.ours.map((l, i) => [String(i + 1), l.toFixed(5), losses.jax[i].toFixed(5)]),
    ),
  ].join('\n');
}

/** The lab's default experiment's model (its He run, on the built-in 3x32x32, 10-class
 * dataset, at the experiment's batch): from building each engine's step to its first
 * loss, ours (one training session) and jax-js's (tracing and compiling its jit). */
async function defaultModelFirstLoss(gpu: GPU): Promise<string> {
  const exp = defaultExperiment();
  const run = { id: 'he' } as const;
  const { config, problems } = resnetConfigFor(exp, run, { channels: 3, size: 32, classes: 10 });
  if (problems.length > 0) throw new Error(`default experiment: ${problems.join('; ')}`);
  const model = buildResNet(config, exp.batchSize);
  const init = initialValues(model, exp.seed, run);
  const data = makeBatch(model);
  const optimizer: OptimizerSpec = {
    kind: 'sgd',
    momentum: exp.optimizer.momentum ?? 0,
    nesterov: false,
    weightDecay: exp.optimizer.weightDecay ?? 0,
  };
  const ctx = await acquireDevice(gpu);
  const t0 = performance.now();
  const session = await sessionFor(ctx, model, init, optimizer);
  session.runStep(data.x, data.labels, exp.optimizer.lr);
  const ours = { loss: (await session.readMetrics())[0].loss, ms: performance.now() - t0 };
  session.destroy();
  ctx.destroy();
  const jax = await loadJaxWebGpu(gpu);
  const j0 = performance.now();
  const peer = buildJaxResNet(jax, model, init, { lr: exp.optimizer.lr, momentum: optimizer.momentum, weightDecay: optimizer.weightDecay });
  const theirs = { loss: (await peer.step(data.x, data.oneHot).data())[0], ms: performance.now() - j0 };
  peer.dispose();
  log(`default model: ours ${fmt(ours.ms)} ms (loss ${ours.loss}), jax-js ${fmt(theirs.ms)} ms (loss ${theirs.loss})`);
  return [
    `The lab's default experiment's model: ${exp.model.preset} (width ${config.width}, ${config.batchNorm ? 'BN' : 'no BN'}, skip ${config.skip}), batch ${exp.batchSize}, its He run's initial weights; build to first loss as above.`,
    '',
    table(
      ['engine', 'build to first loss ms', 'first loss'],
      [
        ['ours (one training session)', fmt(ours.ms), ours.loss.toFixed(5)],
        ['jax-js 0.1.25 WebGPU (jit)', fmt(theirs.ms), theirs.loss.toFixed(5)],
      ],
    ),
  ].join('\n');
}

async function main(): Promise<string> {
  const gpu = navigator.gpu;
  const adapter = await gpu.requestAdapter();
  const info = adapter?.info;
  const parts = [
    `Adapter (Chromium): ${info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') : 'none'}; ${navigator.userAgent}`,
    '',
  ];
  if (!only || only === 'first') parts.push('### Time to the first step (browser)', '', await benchFirstStep(gpu, small, log), '');
  if (!only || only === 'step') parts.push('### Training step (browser)', '', await stepBench(gpu), '');
  if (!only || only === 'default')
    parts.push("### First loss, the default experiment's model (browser)", '', await defaultModelFirstLoss(gpu), '');
  return parts.join('\n');
}

const done = (text: string) => {
  out.textContent = text;
  (window as unknown as { __benchResult?: string }).__benchResult = text;
};
main().then(done, (e: unknown) => done(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
