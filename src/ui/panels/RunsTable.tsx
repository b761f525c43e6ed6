// One row per run of the comparison: status, progress and the latest metrics, with the
// failure or divergence message where there is one; then the runs imported from PyTorch,
// marked external, each with a Remove button.
import { isExternalRun } from '../../lab/externalRuns';
import { runStyles } from '../charts/chartColors';
import { shownRuns } from '../externalRunList';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { isLive, runRow } from './runRow';

const COLUMNS = ['Scheme', 'Status', 'Step', 'Loss', 'Train acc', 'Test acc', 'Step time', 'Diverged at', 'Message'];
const NUMERIC = new Set(['Step', 'Loss', 'Train acc', 'Test acc', 'Step time', 'Diverged at']);

export function RunsTable() {
  const { pytorch } = useLabActions();
  const snapshot = useLabStore((s) => s.snapshot);
  const external = useLabStore((s) => s.external);
  const runs = shownRuns(snapshot?.runs, external);
  if (runs.length === 0) {
    return (
      <section className="card runs-card" aria-label="Runs">
        <p className="muted empty">No runs yet: pick schemes on the left and press Run.</p>
      </section>
    );
  }
  const live = runs.filter(isLive).length;
  const rows = runs.map((r) => runRow(r, snapshot?.stepsPerSecond ?? 0, live));
  // The charts' colours, shades included, so a row and its curve match.
  const colors = new Map(
    runStyles(runs.map((r) => ({ key: r.key, label: r.label, schemeId: r.scheme.id, external: isExternalRun(r) }))).map((s) => [
      s.key,
      s.color,
    ]),
  );
  const anyExternal = rows.some((r) => r.source);
  return (
    <section className="card runs-card" aria-label="Runs">
      <div className="table-scroll">
        <table className="runs-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c}
                  scope="col"
                  className={NUMERIC.has(c) ? 'num' : undefined}
                  title={c === 'Step time' ? 'Each live run’s share of one comparison step' : undefined}
                >
                  {c}
                </th>
              ))}
              {anyExternal ? <th scope="col" aria-label="Imported run actions" /> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr
                key={r.key}
                data-testid={`run-row-${r.key}`}
                data-external={r.source ? 'true' : undefined}
                data-points={runs[i].train.length}
                data-first-step={runs[i].train[0]?.step ?? ''}
                className={`run-${r.status}`}
              >
                <th scope="row">
                  <span className="swatch" style={{ background: colors.get(r.key) }} aria-hidden="true" />
                  {r.label}
                  {r.source ? (
                    <span className="badge-external" title={`Imported from ${r.source}`} data-testid={`run-external-${r.key}`}>
                      external
                    </span>
                  ) : null}
                </th>
                <td>
                  <span className={`status status-${r.status}`} data-testid={`run-status-${r.key}`}>
                    {r.status}
                  </span>
                </td>
                <td className="num">{r.step}</td>
                <td className="num" data-testid={`run-loss-${r.key}`}>
                  {r.loss}
                </td>
                <td className="num">{r.trainAcc}</td>
                <td className="num">{r.testAcc}</td>
                <td className="num">{r.stepTime}</td>
                <td className="num">{r.divergedAt}</td>
                <td className={r.source ? 'message source' : 'message'} title={r.message || (r.source && `Imported from ${r.source}`)}>
                  {r.message || (r.source && `Imported from ${r.source}`)}
                </td>
                {anyExternal ? (
                  <td>
                    {r.source ? (
                      <button
                        type="button"
                        className="row-remove"
                        aria-label={`Remove ${r.label}`}
                        onClick={() => void pytorch.remove(r.key)}
                      >
                        Remove
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
