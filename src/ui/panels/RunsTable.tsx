// One row per run of the comparison: status, progress and the latest metrics (over
// several seeds: mean ± std, statuses and messages per seed), its best test accuracy and
// steps to the target loss, with the failure or divergence message where there is one;
// then the runs imported from PyTorch, marked external, each with a Remove button.
import { isExternalRun, summarizeRuns } from '../../lab';
import { runStyles } from '../charts/chartColors';
import { shownRuns } from '../externalRunList';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { formatCompact } from './format';
import { isLive } from './runRow';
import { seedsRow, summaryCells } from './seedRow';

const NUMERIC = new Set(['Seeds', 'Step', 'Loss', 'Train acc', 'Test acc', 'Best test acc', 'Step time', 'Diverged at']);

export function RunsTable() {
  const { pytorch } = useLabActions();
  const snapshot = useLabStore((s) => s.snapshot);
  const external = useLabStore((s) => s.external);
  const target = useLabStore((s) => s.experiment.lossTarget);
  const runs = shownRuns(snapshot?.runs, external);
  if (runs.length === 0) {
    return (
      <section className="card runs-card" aria-label="Runs">
        <p className="muted empty">No runs yet: pick schemes on the left and press Run.</p>
      </section>
    );
  }
  const live = runs.filter(isLive).length;
  const summaries = summarizeRuns(runs, target);
  const rows = summaries.map((s) => ({ ...seedsRow(s, snapshot?.stepsPerSecond ?? 0, live), ...summaryCells(s) }));
  // The charts' colours, shades included, so a row and its curve match.
  const colors = new Map(
    runStyles(summaries.map((s) => ({ key: s.key, label: s.label, schemeId: s.schemeId, external: isExternalRun(s.seeds[0]) }))).map(
      (s) => [s.key, s.color],
    ),
  );
  const anyExternal = rows.some((r) => r.source);
  const anySeeds = summaries.some((s) => s.seeds.length > 1);
  const toTarget = `Steps to loss ≤ ${formatCompact(target)}`;
  const columns = [
    'Scheme',
    ...(anySeeds ? ['Seeds'] : []),
    'Status',
    'Step',
    'Loss',
    'Train acc',
    'Test acc',
    'Best test acc',
    toTarget,
    'Step time',
    'Diverged at',
    'Message',
  ];
  const titles: Record<string, string> = {
    'Step time': 'Each live run’s share of one comparison step',
    Loss: 'Latest training loss; over several seeds mean ± sample std',
    [toTarget]:
      'The first step whose training loss is at or below the target loss (Training settings); over several seeds mean ± sample std of those that reached it',
  };
  return (
    <section className="card runs-card" aria-label="Runs">
      <div className="table-scroll">
        <table className="runs-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col" className={NUMERIC.has(c) || c === toTarget ? 'num' : undefined} title={titles[c]}>
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
                data-points={summaries[i].seeds[0].train.length}
                data-first-step={summaries[i].seeds[0].train[0]?.step ?? ''}
                data-seeds={summaries[i].seeds.length}
                className={`run-${r.status.split(/[ ,]/)[0]}`}
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
                {anySeeds ? <td className="num">{r.seeds}</td> : null}
                <td>
                  <span className={`status status-${r.status.split(/[ ,]/)[0]}`} data-testid={`run-status-${r.key}`}>
                    {r.status}
                  </span>
                </td>
                <td className="num">{r.step}</td>
                <td className="num" data-testid={`run-loss-${r.key}`}>
                  {r.loss}
                </td>
                <td className="num">{r.trainAcc}</td>
                <td className="num">{r.testAcc}</td>
                <td className="num" data-testid={`run-best-acc-${r.key}`}>
                  {r.bestTestAcc}
                </td>
                <td className="num" data-testid={`run-to-target-${r.key}`}>
                  {r.toTarget}
                </td>
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
