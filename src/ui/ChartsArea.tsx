// Every chart of the lab, laid out in a grid: reads the runs and diagnostics from the
// store (the comparison's and the imported ones), gives each run its scheme colour
// (imported: dashed), and hands each chart only what it draws. A run repeated over seeds
// is drawn as its mean with a min-max band, or every seed (the seed toggle); the
// signal propagation and branch balance pooled over its seeds, the diagnostics through
// training as its seeds' mean; the spectrum, the gradient norms (latest and heat map) and the a_res / a_skip trajectories show its first seed,
// and say so.
import { useDeferredValue, useMemo, useState } from 'react';
import type { BnStatsMode, SignalRecord, SpectrumRecord, RunState } from '../lab';
import { isExternalRun, runKeyOf } from '../lab';
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
import { seedCurves, type SeedView } from './charts/seedSeries';
import { signalsOverSeeds } from './charts/seedDiagnostics';
import { shownRuns } from './externalRunList';
import { useLabStore } from './store';
import './charts/charts.css';

const NO_RUNS: readonly RunState[] = [];

const SEED_VIEW_OPTIONS = [
  { value: 'mean' as const, label: 'mean and min–max band' },
  { value: 'every' as const, label: 'every seed' },
];

/** The first seed of each run (a record of a later seed has a key that is not its run's). */
const firstSeed = <T,>(items: readonly T[], key: (t: T) => string): T[] => items.filter((t) => runKeyOf(key(t)) === key(t));

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
  const [seedView, setSeedView] = useState<SeedView>('mean');
  const curves = useMemo(() => seedCurves(runs, seedView), [runs, seedView]);
  const firstSeeds = useMemo(() => firstSeed(runs, (r) => r.key), [runs]);
  const seedCount = Math.max(1, ...runs.map((r) => (r.seedIndex ?? 0) + 1));

  // Keyed on the identity of the runs, not the array, so colours (and the memoised
  // diagnostics charts) stay put while only the metrics change. One colour per run, its
  // seeds share it.
  const identity = firstSeeds.map((r) => `${r.key}\u0000${r.label}\u0000${r.scheme.id}\u0000${isExternalRun(r) ? 'x' : ''}`).join('\u0001');
  const laterSeeds = runs
    .filter((r) => runKeyOf(r.key) !== r.key)
    .map((r) => `${r.key}\u0000${(r.seedIndex ?? 0) + 1}`)
    .join('\u0001');
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
    const extra = diagKeys.split('\u0001').filter((k) => k && runKeyOf(k) === k && !list.some((r) => r.key === k));
    const styles = runStyles([...list, ...[...new Set(extra)].map((key) => ({ key }))]);
    const byKey = new Map(styles.map((s) => [s.key, s]));
    const seeds = laterSeeds
      .split('\u0001')
      .filter(Boolean)
      .flatMap((s) => {
        const [key, no] = s.split('\u0000');
        const own = byKey.get(runKeyOf(key));
        return own ? [{ ...own, key, label: `${own.label} · seed ${no}` }] : [];
      });
    const first = seedView === 'every' && seeds.length ? styles.map((s) => ({ ...s, label: `${s.label} · seed 1` })) : styles;
    return [...first, ...seeds];
  }, [identity, diagKeys, laterSeeds, seedView]);
  // The BatchNorm mode shown: the experiment's until the user switches here.
  const experimentMode = useLabStore((s) => s.experiment.diagnostics.bnStats);
  const mixup = useLabStore((s) => (s.experiment.augment.mixup ?? 0) > 0);
  const [chosenMode, setMode] = useState<BnStatsMode>();
  const mode = chosenMode ?? experimentMode;
  const spectra: SpectrumRecord[] = useMemo(
    () =>
      recordsForMode(
        firstSeed(Object.values(spectraByKey), (r) => r.runKey),
        mode,
        keys,
      ),
    [spectraByKey, mode, keys],
  );
  const signals: SignalRecord[] = useMemo(
    () => recordsForMode(signalsOverSeeds(Object.values(signalsByKey)), mode, keys),
    [signalsByKey, mode, keys],
  );
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
      {seedCount > 1 ? (
        <div className="seed-bar" data-testid="seed-bar">
          <ChartChoice<SeedView>
            label={`${seedCount} seeds per run:`}
            value={seedView}
            options={SEED_VIEW_OPTIONS}
            onChange={setSeedView}
            testId="seed-view"
          />
          <span className="muted" data-testid="seed-note">
            Loss and accuracy: {seedView === 'mean' ? 'mean over the seeds, band from min to max' : 'one line per seed'}. Signal propagation
            and branch balance: pooled over the seeds (mean of the seeds, band over every pair of every seed). Diagnostics through training:
            mean over the seeds. Spectrum, gradient norms and a_res / a_skip: each run’s first seed (every seed is measured and exported).
          </span>
        </div>
      ) : null}
      <LossChart runs={curves.runs} seeds={curves.seeds} styles={styles} />
      <AccuracyChart runs={curves.runs} seeds={curves.seeds} styles={styles} mixup={mixup} />
      <SpectrumChart spectra={spectra} styles={styles} controls={modeControl} />
      <SignalChart signals={signals} styles={styles} controls={modeControl} />
      <BranchBalanceChart signals={signals} styles={styles} controls={modeControl} />
      <DiagnosticHistoryChart runs={runs} mode={mode} styles={styles} />
      <ScalarTrajectoryChart runs={firstSeeds} styles={styles} />
      <GradNormChart runs={firstSeeds} styles={styles} />
      <GradNormHeatMap runs={firstSeeds} styles={styles} />
    </div>
  );
}
