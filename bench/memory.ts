// GPU memory over a long comparison: the lab's own runner (Comparison: metrics reads,
// checkpoints, evaluations, diagnostics) trains He + BN and Risotto for 1,000 steps, and
// the buffer pool is sampled every 100 steps. "Flat" means that after the first 100
// steps nothing more is allocated and the bytes in use do not move.

import { makeSyntheticShapes } from '../src/data/synthetic';
import type { GpuContext } from '../src/engine/webgpu/device';
import { Comparison } from '../src/lab/comparison';
import { defaultExperiment } from '../src/lab/experimentFields';
import { type ExperimentConfig } from '../src/lab/experimentConfig';
import { fmt, table } from './harness';

const MIB = 1024 * 1024;

/** `small`: ResNet-8 at width 8 on 16x16 images, batch 8 (minutes on a software adapter);
 * else ResNet-20 at width 16 on 32x32, batch 16. */
export async function benchMemory(ctx: GpuContext, opts: { small?: boolean; steps?: number }): Promise<string> {
  const small = opts.small ?? false;
  const steps = opts.steps ?? 1000;
  const size = small ? 16 : 32;
  const data = makeSyntheticShapes({ seed: 1, trainCount: 256, testCount: 64, size });
  const experiment: ExperimentConfig = {
    ...defaultExperiment(),
    dataset: 'shapes',
    model: {
      preset: 'custom',
      blocksPerStage: small ? [1, 1, 1] : [3, 3, 3],
      block: 'basic',
      stem: 'cifar',
      width: small ? 8 : 16,
      skip: 'B',
      batchNorm: false,
    },
    schemes: [{ id: 'he', model: { batchNorm: true } }, { id: 'risotto' }],
    batchSize: small ? 8 : 16,
    steps,
    evalEvery: 100,
    evalBatches: 2,
    schedule: { kind: 'cosine', totalSteps: steps },
    warmupSteps: 0,
    spectrumAt: [0, steps / 2, steps],
  };
  const rows: string[][] = [];
  let next = 100;
  const samples: { step: number; allocated: number; inUse: number; buffers: number }[] = [];
  const t0 = performance.now();
  const end = await new Comparison(ctx, experiment, data, {
    onUpdate: (s) => {
      if (s.phase !== 'running' || s.step < next) return;
      next += 100;
      const p = ctx.pool.getStats();
      samples.push({ step: s.step, allocated: p.allocatedBytes, inUse: p.inUseBytes, buffers: p.allocatedBuffers });
      process.stderr.write(`memory: step ${s.step}/${steps}\n`);
    },
  }).run();
  // After the last step's diagnostics, before the runs' buffers are freed by dispose.
  const p = ctx.pool.getStats();
  samples.push({ step: Number.NaN, allocated: p.allocatedBytes, inUse: p.inUseBytes, buffers: p.allocatedBuffers });
  for (const s of samples)
    rows.push([
      Number.isNaN(s.step) ? 'end (runs released)' : String(s.step),
      fmt(s.allocated / MIB),
      fmt(s.inUse / MIB),
      String(s.buffers),
    ]);
  const during = samples.slice(0, -1);
  const first = during[0];
  const growth = first ? Math.max(...samples.map((s) => s.allocated - first.allocated)) : Number.NaN;
  const drift = first ? Math.max(...during.map((s) => Math.abs(s.inUse - first.inUse))) : Number.NaN;
  return [
    `${experiment.schemes.length} runs, ${steps} steps, ${((performance.now() - t0) / 1000).toFixed(0)} s; statuses: ${end.runs.map((r) => r.status).join(', ')}`,
    '',
    table(['step (first read at or after)', 'pool allocated MiB', 'in use MiB', 'buffers'], rows),
    '',
    `Pool allocation after step ${first?.step}, to the end: +${growth} bytes; in use while training: drift ${drift} bytes (flat = 0 and 0).`,
  ].join('\n');
}
