// "Profile": where each live run's training step goes on the GPU, per kernel kind (time,
// share of the step, dispatches, GFLOP/s), timed by the GPU's own timestamps on the next
// step; exportable as CSV. Adapters without timestamp queries say so instead.
import { profilesToCsv } from '../../lab';
import { useLabActions } from '../labContext';
import { download } from '../savedExperiments';
import { useLabStore } from '../store';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function ProfilePanel() {
  const { requestProfile } = useLabActions();
  const snapshot = useLabStore((s) => s.snapshot);
  const gpu = useLabStore((s) => s.gpu);
  const problem = gpu.status === 'ready' ? gpu.info.profileProblem : 'the GPU is not ready';
  const live = snapshot?.phase === 'running' || snapshot?.phase === 'paused';
  const profiles = snapshot?.profiles ?? [];
  const reason = problem ?? (live ? undefined : 'profiles time a training step: start a comparison first');
  return (
    <section className="card profile-panel" aria-label="Profile">
      <div className="results-actions">
        <button type="button" disabled={reason !== undefined} title={reason} onClick={() => void requestProfile()}>
          Profile next step
        </button>
        <button
          type="button"
          disabled={profiles.length === 0}
          onClick={() => download('risotto-lab-profile.csv', profilesToCsv(profiles), 'text/csv')}
        >
          Export profile CSV
        </button>
        {problem ? (
          <span className="field-note" data-testid="profile-problem">
            {problem}
          </span>
        ) : null}
      </div>
      {profiles.map((p) => {
        const ms = p.kernels.reduce((s, k) => s + k.ms, 0);
        const dispatches = p.kernels.reduce((s, k) => s + k.dispatches, 0);
        return (
          <table key={p.runKey} className="profile-table" data-testid={`profile-${p.runKey}`}>
            <caption>
              {p.label} · step {p.step} · {ms.toFixed(2)} ms on the GPU in {dispatches} dispatches
            </caption>
            <thead>
              <tr>
                <th scope="col">kernel</th>
                <th scope="col">dispatches</th>
                <th scope="col">ms</th>
                <th scope="col">share</th>
                <th scope="col">GFLOP/s</th>
              </tr>
            </thead>
            <tbody>
              {p.kernels.map((k) => (
                <tr key={k.kind}>
                  <td>{k.kind}</td>
                  <td>{k.dispatches}</td>
                  <td>{k.ms.toFixed(3)}</td>
                  <td>{pct(k.share)}</td>
                  <td>{k.gflops === undefined ? '' : k.gflops.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}
