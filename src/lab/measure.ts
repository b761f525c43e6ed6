// Diagnostics of one run's network, at initialisation or at a training step: the
// Jacobian spectrum (input -> last block, P x P noise probe) and signal propagation of
// two inputs through the blocks, as the lab's SpectrumRecord / SignalRecord.

import { makeProbe, probeModel, DEFAULT_PROBE_SIZE } from '../analysis/probe';
import { measureSignalPropagation } from '../analysis/signalPropagation';
import { SpectrumMeter } from '../analysis/spectrum';
import type { GpuContext } from '../engine/webgpu/device';
import { initScheme } from '../nn/init/registry';
import { buildResNet } from '../nn/resnet';
import type { ResNetConfig } from '../nn/resnetConfig';
import { RandomStream, Streams } from '../util/prng';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { SchemeChoice } from './experiment';
import { runKey } from './runState';

export type TensorValues = ReadonlyMap<number, Float32Array | Float64Array>;

export interface MeasureRequest {
  ctx: GpuContext;
  /** The run's architecture (after the scheme's configFor). */
  config: ResNetConfig;
  scheme: SchemeChoice;
  seed: number;
  /** Trained values by tensor id; the scheme's initial values when absent. */
  values?: TensorValues;
  step: number;
  probeSize?: number;
}

function valuesFor(req: MeasureRequest, model: ReturnType<typeof buildResNet>): TensorValues {
  return req.values ?? initScheme(req.scheme.id).init(model, req.seed, req.scheme.options);
}

export async function measureSpectrumRecord(req: MeasureRequest): Promise<SpectrumRecord> {
  const size = Math.min(req.probeSize ?? DEFAULT_PROBE_SIZE, req.config.inputSize);
  const rows = probeModel(req.config, size, 1);
  const perExample = rows.graph.tensors[rows.features].shape.slice(1).reduce((a, b) => a * b, 1);
  // Up to 64 Jacobian rows per GPU run: fewer, larger runs pay per-dispatch costs less often.
  const model = probeModel(req.config, size, Math.min(64, perExample));
  const meter = new SpectrumMeter(req.ctx, { model, values: valuesFor(req, model) });
  try {
    const s = await meter.measure(makeProbe({ kind: 'noise', seed: req.seed }, req.config.inputChannels, size));
    return {
      runKey: runKey(req.scheme),
      step: req.step,
      singularValues: [...s.singularValues],
      histogram: { edges: [...s.histogram.edges], counts: [...s.histogram.counts] },
      rank: s.rank,
      maxAbsDeviation: s.maxAbsDeviation,
      meanSquared: s.meanSquared,
      condition: s.condition,
      rows: s.rows,
      cols: s.cols,
    };
  } finally {
    meter.destroy();
  }
}

export async function measureSignalRecord(req: MeasureRequest): Promise<SignalRecord> {
  const model = buildResNet(req.config, 2);
  const per = req.config.inputChannels * req.config.inputSize ** 2;
  const rng = new RandomStream(req.seed, Streams.probe).fork(1);
  const sig = await measureSignalPropagation(req.ctx, { model, values: valuesFor(req, model), inputs: [rng.normalArray(per), rng.normalArray(per)] });
  return {
    runKey: runKey(req.scheme),
    step: req.step,
    inputCosine: sig.inputCosine,
    blocks: sig.layers.map((l) => ({ block: l.depth, label: l.name, normA: l.normA, normB: l.normB, cosine: l.cosine })),
  };
}
