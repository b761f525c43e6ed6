// Init explorer bench: one explorer update (He and Risotto, the explorer's default stage
// of 8 blocks at width 16, spectrum + signal propagation on the 8 x 8 probe) and one
// depth sweep (He and Risotto, D = 1, 2, 4, ..., max), each as a ratio to one training
// step of the same architecture (the sweep: of its deepest net) on 32x32x3 images,
// same device, same run. Wall and process CPU time (SwiftShader works on this process's
// threads, so CPU time barely depends on other jobs).

import { makeBatch, sgdSession } from './batch';
import type { GpuContext } from '../src/engine/webgpu/device';
import { InitExplorer } from '../src/lab/initExplorer';
import { depthSweep } from '../src/lab/depthSweep';
import { defaultStageSettings, stageNet } from '../src/lab/stageNet';
import { buildResNet } from '../src/nn/resnet';
import { initScheme } from '../src/nn/init/registry';
import { fmt, table } from './harness';

interface Cost {
  wall: number;
  cpu: number;
}

async function cost(fn: () => Promise<unknown>): Promise<Cost> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

/** Median-free on purpose: each of these runs for minutes on a software adapter. One
 * warm step first (pipeline compile), then the mean of `steps` queued steps. */
async function trainStepCost(ctx: GpuContext, depth: number, batch: number, steps: number): Promise<Cost> {
  const config = { ...stageNet({ ...defaultStageSettings(), depth }, 'he').config, inputSize: 32 };
  const model = buildResNet(config, batch);
  const init = initScheme('he').init(model, 1);
  const session = sgdSession(ctx, model, init);
  const { x, labels } = makeBatch(model);
  try {
    session.runStep(x, labels, 0.01);
    await session.readMetrics();
    const c = await cost(async () => {
      for (let i = 0; i < steps; i++) session.runStep(x, labels, 0.01);
      await session.readMetrics();
    });
    return { wall: c.wall / steps, cpu: c.cpu / steps };
  } finally {
    session.destroy();
  }
}

export async function benchExplorer(ctx: GpuContext, opts: { small: boolean }): Promise<string> {
  const batch = opts.small ? 8 : 64;
  const maxDepth = opts.small ? 8 : 16;
  const seeds = opts.small ? 1 : 3;
  const settings = defaultStageSettings();
  const schemes = ['he', 'risotto'] as const;
  const log = (s: string) => process.stderr.write(`explorer bench: ${s}\n`);
  log(`training step, ${settings.depth} blocks`);
  const step = await trainStepCost(ctx, settings.depth, batch, 3);
  log(`explorer update, ${settings.depth} blocks`);
  const explorer = new InitExplorer(async () => ctx);
  const update = await cost(() => explorer.explore({ settings, schemes: [...schemes] }));
  log(`training step, ${maxDepth} blocks`);
  const deepStep = await trainStepCost(ctx, maxDepth, batch, 2);
  log(`depth sweep to ${maxDepth}, ${seeds} seed(s)`);
  const sweep = await cost(() =>
    depthSweep(ctx, { schemes, maxDepth, seeds, settings }, { onProgress: (p) => log(`sweep ${p.done}/${p.total}`) }),
  );
  const row = (what: string, c: Cost, per: Cost) => [what, fmt(c.wall), fmt(c.cpu), `${fmt(c.wall / per.wall)} / ${fmt(c.cpu / per.cpu)}`];
  return table(
    ['what', 'wall ms', 'CPU ms', 'in training steps (wall / CPU)'],
    [
      row(`training step, stage of ${settings.depth} blocks (batch ${batch}, 32x32x3, width ${settings.width})`, step, step),
      row(`explorer update (He + Risotto, ${settings.depth} blocks: spectrum, reach, signal, balance; incl. compile)`, update, step),
      row(`training step, stage of ${maxDepth} blocks (batch ${batch})`, deepStep, deepStep),
      row(`depth sweep (He + Risotto, D = 1..${maxDepth}, ${seeds} seed${seeds === 1 ? '' : 's'})`, sweep, deepStep),
    ],
  );
}
