// What the export's diagnostics.py measures on: the lab's own diagnostic inputs for the
// experiment (the spectrum's noise probe and its reference batch at the probe size, the
// signal pairs and their reference batch at the input size, drawn exactly as a training
// run draws them) and the settings that say how, as config.json's `diagnostics` entry.

import { noiseReferenceBatch, REFERENCE_BATCH, DEFAULT_PROBE_SIZE, makeProbe, probeSizeFor, RANK_RTOL } from '../../analysis';
import { channelStats } from '../../data';
import type { Dataset } from '../../data';
import { dataInputs, noiseInputs } from '../diagnosticInputs';
import { datasetShape, resnetConfigFor } from '../modelFactory';
import type { DiagnosticsChoice, ExperimentConfig } from '../experimentConfig';
import type { WritableTensor } from '../safetensors';

const DIAGNOSTICS_FILE = 'diagnostics.safetensors';

export interface ExportDiagnostics extends DiagnosticsChoice {
  file: typeof DIAGNOSTICS_FILE;
  /** Side of the spectrum's probe (and its reference batch). */
  probeSize: number;
  referenceBatch: number;
  rankRtol: number;
  /** Where the signal pairs came from (data falls back to noise for a one-class split). */
  signalSource: 'data' | 'noise';
}

/** The tensors of diagnostics.safetensors and the config entry describing them. */
export function diagnosticsExport(exp: ExperimentConfig, dataset: Dataset): { tensors: WritableTensor[]; settings: ExportDiagnostics } {
  const d = exp.diagnostics;
  const { channels: c, height: s } = dataset;
  // The lab's own rule (measure.ts): every scheme shares the stem and stages it depends on.
  const p = probeSizeFor(resnetConfigFor(exp, exp.schemes[0], datasetShape(dataset)).config, Math.min(DEFAULT_PROBE_SIZE, s));
  const inputs =
    d.signal === 'data'
      ? dataInputs(dataset, channelStats(dataset.train, { channels: c, height: s, width: dataset.width }), exp.seed, d.pairs)
      : noiseInputs(exp.seed, c, s, { pairs: d.pairs, inputCosine: d.inputCosine });
  const pairs = new Float32Array(2 * inputs.pairs.length * c * s * s);
  inputs.pairs.flat().forEach((x, i) => pairs.set(x, i * c * s * s));
  const tensors: WritableTensor[] = [
    { name: 'spectrum.probe', shape: [1, c, p, p], data: Float32Array.from(makeProbe({ kind: 'noise', seed: exp.seed }, c, p)) },
    { name: 'spectrum.reference', shape: [REFERENCE_BATCH, c, p, p], data: Float32Array.from(noiseReferenceBatch(exp.seed, c, p)) },
    { name: 'signal.pairs', shape: [2 * inputs.pairs.length, c, s, s], data: pairs },
    { name: 'signal.reference', shape: [REFERENCE_BATCH, c, s, s], data: Float32Array.from(inputs.reference) },
  ];
  return { tensors, settings: { ...d, file: DIAGNOSTICS_FILE, probeSize: p, referenceBatch: REFERENCE_BATCH, rankRtol: RANK_RTOL, signalSource: inputs.source } };
}
