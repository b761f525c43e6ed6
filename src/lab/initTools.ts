// What the command line's `init` and `spectrum` do, framework-free: build each scheme's
// network for an experiment at initialisation, export its weights, and measure its
// spectrum and signal propagation.

import type { GpuContext } from '../engine/webgpu/device';
import { buildResNet } from '../nn/resnet';
import { initScheme } from '../nn/init/registry';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { ExperimentConfig, SchemeChoice } from './experiment';
import { measureSignalRecord, measureSpectrumRecord } from './measure';
import { resnetConfigFor, type DatasetShape } from './modelFactory';
import { exportWeights, type ModelCard } from './weights';

function configOrThrow(exp: ExperimentConfig, scheme: SchemeChoice, data: DatasetShape) {
  const { config, problems } = resnetConfigFor(exp, scheme, data);
  if (problems.length) throw new Error(`${scheme.id} cannot build this model:\n- ${problems.join('\n- ')}`);
  return config;
}

export function initialWeights(exp: ExperimentConfig, scheme: SchemeChoice, data: DatasetShape): { safetensors: Uint8Array; card: ModelCard } {
  const model = buildResNet(configOrThrow(exp, scheme, data), 1);
  const values = initScheme(scheme.id).init(model, exp.seed, scheme.options);
  return exportWeights(model, values, { scheme, seed: exp.seed, step: 0 });
}

export interface InitDiagnostics {
  scheme: SchemeChoice;
  spectrum: SpectrumRecord;
  signal?: SignalRecord;
}

export async function initDiagnostics(ctx: GpuContext, exp: ExperimentConfig, scheme: SchemeChoice, data: DatasetShape, opts: { signal: boolean; probeSize?: number }): Promise<InitDiagnostics> {
  const req = { ctx, config: configOrThrow(exp, scheme, data), scheme, seed: exp.seed, step: 0, probeSize: opts.probeSize };
  return { scheme, spectrum: await measureSpectrumRecord(req), signal: opts.signal ? await measureSignalRecord(req) : undefined };
}
