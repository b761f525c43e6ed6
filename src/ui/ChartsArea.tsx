// Every chart of the lab, laid out in a grid: reads the runs and diagnostics from the
// store (the comparison's and the imported ones), gives each run its scheme colour
// (imported: dashed), and hands each chart only what it draws.
import { useDeferredValue, useMemo, useState } from 'react';
import type { BnStatsMode, SignalRecord, SpectrumRecord } from '../lab/diagnostics';
import { isExternalRun } from '../lab/externalRuns';
import type { RunState } from '../lab/runState';
import { AccuracyChart } from './charts/AccuracyChart';
import { runStyles } from './charts/chartColors';
import { GradNormChart } from './charts/GradNormChart';
import { GradNormHeatMap } from './charts/GradNormHeatMap';
import { ScalarTrajectoryChart } from './charts/ScalarTrajectoryChart';
import { LossChart } from './charts/LossChart';
import { BranchBalanceChart } from './charts/BranchBalanceChart';
import { ChartChoice } from './charts/ChartControls';
import { recordsForMode } from './charts/diagnosticData';
import { DiagnosticHistoryChart } from './charts/DiagnosticHistoryChart';
import { SignalChart } from './charts/SignalChart';
import { SpectrumChart } from './charts/SpectrumChart';
import { shownRuns } from './externalRunList';
import { useLabStore } from './store';
import './charts/charts.css';

const NO_RUNS: readonly RunState[] = [];

const BN_MODE_OPTIONS = [
  { value: 'batch' as const, label: 'batch statistics (as trained)' },
  { value: 'running' as const, label: 'running statistics (inference)' },
];

export function ChartsArea() {
  // Deferred: while training, a new snapshot may wait for a redraw rather than block
  // typing and clicks elsewhere on the page.
  const live = useLabStore((s) => s.snapshot?.runs) ?? NO_RUNS;
  const external = useLabStore((s) => s.external);
  const runs = useDeferredValue(useMemo(() => shownRuns(live, external), [live, external]));
  const spectraByKey = useDeferredValue(useLabStore((s) => s.spectra));
  const signalsByKey = useDeferredValue(useLabStore((s) => s.signals));

  // Keyed on the identity of the runs, not the array, so colours (and the memoised
  // diagnostics charts) stay put while only the metrics change.
  const identity = runs.map((r) => `${r.key}\u0000${r.label}\u0000${r.scheme.id}\u0000${isExternalRun(r) ? 'x' : ''}`).join('\u0001');
  const diagKeys = [...Object.values(spectraByKey), ...Object.values(signalsByKey)].map((r) => r.runKey).join('\u0001');
  const keys = useMemo(
    () =>
      identity
        .split('\u0001')
        .filter(Boolean)
        .map((s) => s.split('\u0000')[0]),
    [identity],
  );
  const styles = useMemo(() => {
    const list = identity
      .split('\u0001')
      .filter(Boolean)
      .map((s) => {
        const [key, label, schemeId, external] = s.split('\u0000');
        return { key, label, schemeId, external: external === 'x' };
      });
    const extra = diagKeys.split('\u0001').filter((k) => k && !list.some((r) => r.key === k));
    return runStyles([...list, ...[...new Set(extra)].map((key) => ({ key }))]);
  }, [identity, diagKeys]);
  // The BatchNorm mode shown: the experiment's until the user switches here.
  const experimentMode = useLabStore((s) => s.experiment.diagnostics.bnStats);
  const [chosenMode, setMode] = useState<BnStatsMode>();
  const mode = chosenMode ?? experimentMode;
  const spectra: SpectrumRecord[] = useMemo(() => recordsForMode(Object.values(spectraByKey), mode, keys), [spectraByKey, mode, keys]);
  const signals: SignalRecord[] = useMemo(() => recordsForMode(Object.values(signalsByKey), mode, keys), [signalsByKey, mode, keys]);
  const anyBn = [...spectra, ...signals].some((r) => r.batchNorm);
  const modeControl = anyBn ? (
    <ChartChoice<BnStatsMode>
      label="BatchNorm"
      value={mode}
      options={BN_MODE_OPTIONS}
      onChange={(v) => setMode(v)}
      testId="bn-stats-choice"
    />
  ) : undefined;

  return (
    <div className="charts-area" data-testid="charts-area">
      <LossChart runs={runs} styles={styles} />
      <AccuracyChart runs={runs} styles={styles} />
      <SpectrumChart spectra={spectra} styles={styles} controls={modeControl} />
      <SignalChart signals={signals} styles={styles} controls={modeControl} />
      <BranchBalanceChart signals={signals} styles={styles} controls={modeControl} />
      <DiagnosticHistoryChart runs={runs} mode={mode} styles={styles} />
      <ScalarTrajectoryChart runs={runs} styles={styles} />
      <GradNormChart runs={runs} styles={styles} />
      <GradNormHeatMap runs={runs} styles={styles} />
    </div>
  );
}
