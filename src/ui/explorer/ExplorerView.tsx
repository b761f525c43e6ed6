// The init explorer's charts: each chosen scheme's spectrum with its reach map, signal
// propagation and branch balance for the stage at the current settings (re-measured,
// debounced, whenever they change), schemes that cannot build it with the reason, and
// the depth sweep. data-status / data-measured tell tests which settings are shown.
import { useEffect, useMemo } from 'react';
import { INIT_SCHEMES, encodeExplorer } from '../../lab';
import { BranchBalanceChart } from '../charts/BranchBalanceChart';
import { runStyles } from '../charts/chartColors';
import { SignalChart } from '../charts/SignalChart';
import { SpectrumChart } from '../charts/SpectrumChart';
import { useLabActions } from '../labContext';
import { useExplorerStore } from './explorerStore';
import { SweepChart } from './SweepChart';
import '../charts/charts.css';

export function ExplorerView() {
  const actions = useLabActions();
  const settings = useExplorerStore((s) => s.settings);
  const result = useExplorerStore((s) => s.result);
  const progress = useExplorerStore((s) => s.progress);
  const error = useExplorerStore((s) => s.error);
  const sweepRows = useExplorerStore((s) => s.sweep.rows);
  // The first measurement starts at once; later ones wait for the slider to rest.
  const measuredOnce = result !== undefined;
  useEffect(() => actions.explorer.update(settings, !measuredOnce), [actions, settings]);

  const runs = result?.runs ?? [];
  const measured = runs.flatMap((r) => (r.measurement ? [r.measurement] : []));
  const schemeKeys = [...new Set([...runs.map((r) => r.scheme), ...(sweepRows ?? []).map((r) => r.scheme)])].join(',');
  const styles = useMemo(
    () =>
      runStyles(
        schemeKeys
          .split(',')
          .filter(Boolean)
          .map((id) => ({ key: id, schemeId: id, label: INIT_SCHEMES[id as keyof typeof INIT_SCHEMES]?.label ?? id })),
      ),
    [schemeKeys],
  );
  const spectra = useMemo(() => measured.map((m) => m.spectrum), [result]);
  const signals = useMemo(() => measured.map((m) => m.signal), [result]);
  const status = error ? 'error' : progress ? 'measuring' : result ? 'ready' : 'idle';
  const shown = result ? encodeExplorer({ ...result.settings, schemes: runs.map((r) => r.scheme) }) : '';

  return (
    <div className="charts-area explorer-view" data-testid="explorer" data-status={status} data-measured={shown}>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {runs
        .filter((r) => r.problem)
        .map((r) => (
          <p key={r.scheme} className="scheme-problem" data-testid={`explorer-problem-${r.scheme}`}>
            ⚠ {INIT_SCHEMES[r.scheme].label}: {r.problem}
          </p>
        ))}
      <SpectrumChart spectra={spectra} styles={styles} />
      <SignalChart signals={signals} styles={styles} />
      <BranchBalanceChart signals={signals} styles={styles} />
      <SweepChart rows={sweepRows ?? []} styles={styles} />
    </div>
  );
}
