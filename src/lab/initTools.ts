// What the command line's `init` and `spectrum` do, framework-free: build each scheme's
// network for an experiment at initialisation, export its weights, and measure its
// spectrum and signal propagation.

import type { GpuContext } from '../engine';
import { buildResNet } from '../nn';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { ExperimentConfig, SchemeChoice } from './experimentConfig';
import { measureSignalRecord, measureSpectrumRecord } from './measure';
import { noiseInputs, type DiagnosticInputs } from './diagnosticInputs';
import { initialValues, resnetConfigFor, type DatasetShape } from './modelFactory';
import { exportWeights, type ModelCard } from './weights';

function configOrThrow(exp: ExperimentConfig, scheme: SchemeChoice, data: DatasetShape) {
  const { config, problems } = resnetConfigFor(exp, scheme, data);
  if (problems.length) throw new Error(`${scheme.id} cannot build this model:\n- ${problems.join('\n- ')}`);
  return config;
}

export function initialWeights(
  exp: ExperimentConfig,
  scheme: SchemeChoice,
  data: DatasetShape,
): { safetensors: Uint8Array; card: ModelCard } {
  const model = buildResNet(configOrThrow(exp, scheme, data), 1);
  const values = initialValues(model, exp.seed, scheme);
  return exportWeights(model, values, { scheme, seed: exp.seed, step: 0 });
}

export interface InitDiagnostics {
  scheme: SchemeChoice;
  spectrum: SpectrumRecord;
  signal?: SignalRecord;
}

/** At initialisation, in the experiment's diagnostics settings; `inputs` are the signal
 * pairs and reference batch (Gaussian by the experiment's settings when absent). */
export async function initDiagnostics(
  ctx: GpuContext,
  exp: ExperimentConfig,
  scheme: SchemeChoice,
  data: DatasetShape,
  opts: { signal: boolean; probeSize?: number; inputs?: DiagnosticInputs },
): Promise<InitDiagnostics> {
  const config = configOrThrow(exp, scheme, data);
  const d = exp.diagnostics;
  const inputs =
    opts.inputs ?? noiseInputs(exp.seed, config.inputChannels, config.inputSize, { pairs: d.pairs, inputCosine: d.inputCosine });
  const req = {
    ctx,
    config,
    scheme,
    seed: exp.seed,
    step: 0,
    probeSize: opts.probeSize,
    bnStats: d.bnStats,
    from: d.from,
    toStage: d.toStage || undefined,
    inputs,
  };
  return { scheme, spectrum: await measureSpectrumRecord(req), signal: opts.signal ? await measureSignalRecord(req) : undefined };
}
