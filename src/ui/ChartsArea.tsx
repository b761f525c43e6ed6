// Every chart of the lab, laid out in a grid: reads the runs and diagnostics from the
// store (the comparison's and the imported ones), gives each run its scheme colour
// (imported: dashed), and hands each chart only what it draws.
import { useDeferredValue, useMemo } from 'react';
import type { SignalRecord, SpectrumRecord } from '../lab/diagnostics';
import { isExternalRun } from '../lab/externalRuns';
import type { RunState } from '../lab/runState';
import { AccuracyChart } from './charts/AccuracyChart';
import { runStyles } from './charts/chartColors';
import { GradNormChart } from './charts/GradNormChart';
import { LossChart } from './charts/LossChart';
import { SignalChart } from './charts/SignalChart';
import { SpectrumChart } from './charts/SpectrumChart';
import { shownRuns } from './externalRunList';
import { useLabStore } from './store';
import './charts/charts.css';

const NO_RUNS: readonly RunState[] = [];

/** Records in run order, then any whose run is not in the snapshot (e.g. after reset). */
function inRunOrder<T extends { runKey: string }>(records: Record<string, T>, keys: readonly string[]): T[] {
  const known = keys.filter((k) => records[k]).map((k) => records[k]);
  const extra = Object.keys(records).filter((k) => !keys.includes(k)).map((k) => records[k]);
  return [...known, ...extra];
}

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
  const diagKeys = [...Object.keys(spectraByKey), ...Object.keys(signalsByKey)].join('\u0001');
  const keys = useMemo(() => identity.split('\u0001').filter(Boolean).map((s) => s.split('\u0000')[0]), [identity]);
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
  const spectra: SpectrumRecord[] = useMemo(() => inRunOrder(spectraByKey, keys), [spectraByKey, keys]);
  const signals: SignalRecord[] = useMemo(() => inRunOrder(signalsByKey, keys), [signalsByKey, keys]);

  return (
    <div className="charts-area" data-testid="charts-area">
      <LossChart runs={runs} styles={styles} />
      <AccuracyChart runs={runs} styles={styles} />
      <SpectrumChart spectra={spectra} styles={styles} />
      <SignalChart signals={signals} styles={styles} />
      <GradNormChart runs={runs} styles={styles} />
    </div>
  );
}
