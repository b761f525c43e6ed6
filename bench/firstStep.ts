// Time to the first result: a fresh device (empty pipeline cache) builds the ResNet-20
// training session and runs one step, once with the pipelines created synchronously one
// after the other (the constructor) and then asynchronously (GpuTrainSession.create) with
// 1, 2, 4 or all at a time. Fresh devices, so none reuses another's pipelines.

import { acquireDevice } from '../src/gpu/device';
import type { OptimizerSpec } from '../src/engine/optimizer';
import { GpuTrainSession, type TrainSessionSpec } from '../src/engine/webgpu/trainSession';
import { initHe } from '../src/nn/init/he';
import { buildResNet } from '../src/nn/resnet';
import { resnetPreset } from '../src/nn/resnetConfig';
import { numel } from '../src/engine/graph';
import { fmt, table } from './harness';

const OPTIMIZER: OptimizerSpec = { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 5e-4 };

/** `log` gets progress lines (stderr in Node, the page's console in a browser). */
export async function benchFirstStep(gpu: GPU, small: boolean, log: (line: string) => void = console.error): Promise<string> {
  const batch = small ? 8 : 64;
  const model = buildResNet(resnetPreset('resnet20'), batch);
  const values = new Map([...initHe(model, 1)].map(([id, v]) => [id, Float32Array.from(v)]));
  const spec: TrainSessionSpec = {
    graph: model.graph,
    input: model.input,
    labels: model.labels,
    logits: model.logits,
    loss: model.loss,
    values,
    optimizer: OPTIMIZER,
  };
  const x = new Float32Array(numel(model.graph.tensors[model.input].shape)).map((_, i) => Math.sin(i));
  const labels = Uint32Array.from({ length: batch }, (_, i) => i % 10);
  const rows: string[][] = [];
  const firsts: number[] = [];
  // 0: the synchronous constructor; else createComputePipelineAsync, that many at a time.
  for (const mode of [0, 1, 2, 4, 64]) {
    const ctx = await acquireDevice(gpu);
    const t0 = performance.now();
    let pipelines = 0;
    const session =
      mode === 0 ? new GpuTrainSession(ctx, spec) : await GpuTrainSession.create(ctx, spec, (_, total) => (pipelines = total), mode);
    const built = performance.now() - t0;
    session.runStep(x, labels, 0.05);
    const [m] = await session.readMetrics();
    const first = performance.now() - t0;
    if (mode === 0) pipelines = ctx.pipelines.size;
    log(`  [first step] concurrency ${mode || 'sync'}: build ${fmt(built)} ms, first loss ${m.loss.toFixed(5)} at ${fmt(first)} ms`);
    rows.push([
      mode === 0 ? 'createComputePipeline, one by one' : `createComputePipelineAsync, ${mode} at a time`,
      String(pipelines),
      fmt(built),
      fmt(first - built),
      fmt(first),
      `${fmt(firsts.length ? firsts[0] / first : 1)}x`,
    ]);
    firsts.push(first);
    session.destroy();
    ctx.destroy();
  }
  return [
    `ResNet-20 (width 16, BN), batch ${batch}, fresh device each: from building the session to the first step's loss read back.`,
    '',
    table(['pipelines built', 'pipelines', 'build ms', 'first step ms', 'to first loss ms', 'speed-up'], rows),
  ].join('\n');
}
