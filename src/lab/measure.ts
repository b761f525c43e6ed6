// Diagnostics of one run's network, at initialisation or at a training step, in one
// BatchNorm mode: the Jacobian spectrum with its reach map (input -> last block or a
// stage's end, P x P noise probe) and signal propagation with branch balance over K
// pairs, as the lab's SpectrumRecord / SignalRecord.

import {
  noiseReferenceBatch,
  valuesForBnMode,
  type BnStatsMode,
  makeProbe,
  probeModel,
  probeSizeFor,
  DEFAULT_PROBE_SIZE,
  type ProbeTarget,
  measureSignalPropagation,
  SpectrumMeter,
  type SpectrumFrom,
} from '../analysis';
import type { GpuContext } from '../engine';
import { initScheme, buildResNet } from '../nn';
import type { ResNetConfig } from '../nn';
import { noiseInputs, type DiagnosticInputs } from './diagnosticInputs';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { SchemeChoice } from './experimentConfig';
import { initialValues } from './modelFactory';
import { runKey } from './runState';

type TensorValues = ReadonlyMap<number, Float32Array | Float64Array>;

export interface MeasureRequest {
  ctx: GpuContext;
  /** The run's architecture (after the scheme's configFor). */
  config: ResNetConfig;
  scheme: SchemeChoice;
  seed: number;
  /** Trained values by tensor id; the scheme's initial values when absent. */
  values?: TensorValues;
  step: number;
  bnStats: BnStatsMode;
  probeSize?: number;
  /** Spectrum map: from the image (default) or the stem's output, to the last block
   * (default) or the end of a stage. */
  from?: SpectrumFrom;
  toStage?: number;
  /** Signal pairs and reference batch at the input size; Gaussian when absent. */
  inputs?: DiagnosticInputs;
}

function valuesFor(req: MeasureRequest, model: ReturnType<typeof buildResNet>): TensorValues {
  return req.values ?? initialValues(model, req.seed, req.scheme);
}

export async function measureSpectrumRecord(req: MeasureRequest): Promise<SpectrumRecord> {
  const size = probeSizeFor(req.config, Math.min(req.probeSize ?? DEFAULT_PROBE_SIZE, req.config.inputSize));
  const config = { ...req.config, blocksPerStage: [...req.config.blocksPerStage], inputSize: size };
  const target: ProbeTarget = req.toStage === undefined ? 'features' : { stage: req.toStage };
  const rows = probeModel(config, size, 1);
  const perExample = rows.graph.tensors[rows.features].shape.slice(1).reduce((a, b) => a * b, 1);
  // Up to 64 Jacobian rows per GPU run: fewer, larger runs pay per-dispatch costs less often.
  const model = probeModel(config, size, Math.min(64, perExample));
  const reference = noiseReferenceBatch(req.seed, config.inputChannels, size);
  const values = await valuesForBnMode(req.ctx, req.bnStats, { config, size, values: valuesFor(req, model), reference });
  const meter = new SpectrumMeter(req.ctx, { model, values, target, from: req.from });
  try {
    const s = await meter.measure(makeProbe({ kind: 'noise', seed: req.seed }, config.inputChannels, size));
    const { singularValues, histogram, reach, ...rest } = s;
    return {
      ...rest,
      runKey: runKey(req.scheme),
      step: req.step,
      bnStats: req.bnStats,
      batchNorm: req.config.batchNorm,
      singularValues: [...singularValues],
      histogram: { edges: [...histogram.edges], counts: [...histogram.counts] },
      reach: [...reach],
      probeSize: size,
      target: req.toStage === undefined ? 'features' : `stage ${req.toStage}`,
    };
  } finally {
    meter.destroy();
  }
}

export async function measureSignalRecord(req: MeasureRequest): Promise<SignalRecord> {
  const inputs = req.inputs ?? noiseInputs(req.seed, req.config.inputChannels, req.config.inputSize);
  const model = buildResNet(req.config, 2 * inputs.pairs.length);
  const values = await valuesForBnMode(req.ctx, req.bnStats, {
    config: req.config,
    size: req.config.inputSize,
    values: valuesFor(req, model),
    reference: inputs.reference,
  });
  const sig = await measureSignalPropagation(req.ctx, {
    model,
    values,
    pairs: inputs.pairs,
    looksLinear: initScheme(req.scheme.id).looksLinear,
  });
  return {
    runKey: runKey(req.scheme),
    step: req.step,
    bnStats: req.bnStats,
    batchNorm: req.config.batchNorm,
    source: inputs.source,
    pairs: sig.pairs,
    inputCosine: sig.inputCosine,
    layers: sig.layers,
    balance: sig.balance,
  };
}
