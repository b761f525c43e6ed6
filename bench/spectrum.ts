// Spectrum bench: one full Jacobian spectrum (P = 8 probe, width 16, 16 blocks) next to
// one training step of the same net (32x32x3 input), same device, same run, as a
// ratio. The lab re-measures spectra during training, so this must stay at a few dozen
// steps at most.

import { makeBatch, sgdSession } from './batch';
import type { GpuContext } from '../src/engine/webgpu/device';
import { measureSpectrumRecord } from '../src/lab/measure';
import { buildResNet } from '../src/nn/resnet';
import { initScheme } from '../src/nn/init/registry';
import { defaultResNetConfig, type ResNetConfig } from '../src/nn/resnetConfig';
import { fmt, table, time } from './harness';

export async function benchSpectrum(ctx: GpuContext, opts: { small: boolean }): Promise<string> {
  const config: ResNetConfig = { ...defaultResNetConfig(), width: 16, blocksPerStage: [6, 5, 5], batchNorm: false };
  const batch = opts.small ? 8 : 64;
  const model = buildResNet(config, batch);
  const init = initScheme('risotto').init(model, 1);
  const session = sgdSession(ctx, model, init);
  const { x, labels } = makeBatch(model);
  const stepT = await time(
    async () => {
      session.runStep(x, labels, 0.01);
      await session.readMetrics();
    },
    { warmup: 1, runs: 3 },
  );
  session.destroy();
  let rows = 0;
  const specT = await time(
    async () => {
      const s = await measureSpectrumRecord({ ctx, config, scheme: { id: 'risotto' }, seed: 1, step: 0, probeSize: 8, bnStats: 'batch' });
      rows = s.rows;
    },
    { warmup: 1, runs: 3 },
  );
  return table(
    ['what', 'median ms', 'note'],
    [
      [`training step (batch ${batch}, 32x32x3, 16 blocks, width 16)`, fmt(stepT.medianMs), `${stepT.runs} runs`],
      [`full spectrum (P = 8, ${rows} Jacobian rows, incl. compile + eigen-solve)`, fmt(specT.medianMs), `${specT.runs} runs`],
      ['spectrum / step', `${fmt(specT.medianMs / stepT.medianMs)}`, 'target: at most a few dozen'],
    ],
  );
}
