// The diagnostics of one run at one step: the spectrum, signal propagation and branch
// balance of its current weights, in the experiment's BatchNorm mode and, for a BN net,
// also in the other one, so the charts can switch without a new measurement.

import { BN_STATS_MODES } from '../analysis';
import type { GpuContext } from '../engine';
import type { DiagnosticInputs } from './diagnosticInputs';
import { currentRecords, type SignalRecord, type SpectrumRecord } from './diagnostics';
import type { ExperimentConfig } from './experimentConfig';
import { measureSignalRecord, measureSpectrumRecord } from './measure';
import { keepDiagnostics } from './runHistory';
import type { TrainingRun } from './trainingRun';

/** Measures `r` (a live, compiled run) at `step`; records are keyed by its run and seed
 * and also kept in its history. Nothing when the run holds no session. */
export async function measureRun(
  ctx: GpuContext,
  experiment: ExperimentConfig,
  r: TrainingRun,
  step: number,
  inputs: DiagnosticInputs,
): Promise<{ spectra: SpectrumRecord[]; signals: SignalRecord[] }> {
  const d = experiment.diagnostics;
  const spectra: SpectrumRecord[] = [];
  const signals: SignalRecord[] = [];
  const cp = await r.checkpoint();
  if (!cp.session || !r.config) return { spectra, signals };
  const modes = r.config.batchNorm ? [d.bnStats, ...BN_STATS_MODES.filter((m) => m !== d.bnStats)] : [d.bnStats];
  for (const bnStats of modes) {
    const req = {
      ctx,
      config: r.config,
      scheme: r.state.scheme,
      seed: r.seed,
      values: cp.session.values,
      step,
      bnStats,
      from: d.from,
      toStage: d.toStage || undefined,
      inputs,
    };
    const spectrum = { ...(await measureSpectrumRecord(req)), runKey: r.state.key };
    const signal = { ...(await measureSignalRecord(req)), runKey: r.state.key };
    spectra.push(spectrum);
    signals.push(signal);
    if (r.state.history) keepDiagnostics(r.state.history, spectrum, signal);
  }
  return { spectra, signals };
}

/** The diagnostics a checkpoint holds that today's charts can draw. Checkpoints saved
 * before the diagnostics had a BatchNorm mode hold records they cannot: those are
 * dropped, and the warning says so. */
export function restoredDiagnostics(from: { spectra: SpectrumRecord[]; signals: SignalRecord[] }): {
  spectra: SpectrumRecord[];
  signals: SignalRecord[];
  warning?: string;
} {
  const spectra = currentRecords<SpectrumRecord>(from.spectra);
  const signals = currentRecords<SignalRecord>(from.signals);
  const dropped = spectra.dropped + signals.dropped;
  const warning = dropped
    ? `${dropped} diagnostic measurement${dropped > 1 ? 's' : ''} saved by an older version of the lab could not be shown; the next diagnostic step measures again`
    : undefined;
  return { spectra: spectra.kept, signals: signals.kept, warning };
}
