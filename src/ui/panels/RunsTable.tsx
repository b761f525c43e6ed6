// One row per run of the comparison: status, progress and the latest metrics, with the
// failure or divergence message where there is one.
import { runStyles } from '../charts/chartColors';
import { useLabStore } from '../store';
import { isLive, runRow } from './runRow';

const COLUMNS = ['Scheme', 'Status', 'Step', 'Loss', 'Train acc', 'Test acc', 'Step time', 'Diverged at', 'Message'];
const NUMERIC = new Set(['Step', 'Loss', 'Train acc', 'Test acc', 'Step time', 'Diverged at']);

export function RunsTable() {
  const snapshot = useLabStore((s) => s.snapshot);
  if (!snapshot || snapshot.runs.length === 0) {
    return (
      <section className="card runs-card" aria-label="Runs">
        <p className="muted empty">No runs yet: pick schemes on the left and press Run.</p>
      </section>
    );
  }
  const live = snapshot.runs.filter(isLive).length;
  const rows = snapshot.runs.map((r) => runRow(r, snapshot.stepsPerSecond, live));
  // The charts' colours, shades included, so a row and its curve match.
  const colors = new Map(runStyles(snapshot.runs.map((r) => ({ key: r.key, label: r.label, schemeId: r.scheme.id }))).map((s) => [s.key, s.color]));
  return (
    <section className="card runs-card" aria-label="Runs">
      <div className="table-scroll">
        <table className="runs-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" className={NUMERIC.has(c) ? 'num' : undefined} title={c === 'Step time' ? 'Each live run’s share of one comparison step' : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key} data-testid={`run-row-${r.key}`} data-points={snapshot.runs[i].train.length} data-first-step={snapshot.runs[i].train[0]?.step ?? ''} className={`run-${r.status}`}>
                <th scope="row">
                  <span className="swatch" style={{ background: colors.get(r.key) }} aria-hidden="true" />
                  {r.label}
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
                <td className="message" title={r.message}>
                  {r.message}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
