// Results leave and re-enter the lab here: export the comparison as JSON or CSV, a live
// or just-ended run's weights as safetensors + model card, import an exported JSON; the experiment to
// PyTorch and PyTorch's metrics back; and the list of experiments saved in this browser
// (view, resume an unfinished one, delete).
import { useRef, useState } from 'react';
import { runsToCsv, summaryToCsv, toExportJson } from '../../lab';
import { useLabActions } from '../labContext';
import { download, useSavedState } from '../savedExperiments';
import { useLabStore } from '../store';
import { isBusy } from './controlState';
import { PytorchControls } from './PytorchControls';

export function ResultsPanel() {
  const { saved } = useLabActions();
  const snapshot = useLabStore((s) => s.snapshot);
  const experiment = useLabStore((s) => s.experiment);
  const list = useSavedState((s) => s.list);
  const busy = isBusy(snapshot?.phase);
  // Live runs, and runs that ended normally (their final weights stay in the Worker until
  // the next run or a reload; the Worker says so if they are gone).
  // One entry per run and seed (a later seed's key ends in @seedN).
  const withWeights = snapshot?.runs.filter((r) => ['running', 'paused', 'finished', 'stopped'].includes(r.status)) ?? [];
  const [runKey, setRunKey] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return (
    <section className="card results-panel" aria-label="Results">
      <div className="results-actions">
        <button
          type="button"
          disabled={!snapshot}
          onClick={() =>
            snapshot &&
            download(`risotto-lab-${stamp}.json`, JSON.stringify(toExportJson(experiment, snapshot), null, 1), 'application/json')
          }
        >
          Export JSON
        </button>
        <button
          type="button"
          disabled={!snapshot}
          onClick={() => snapshot && download(`risotto-lab-${stamp}.csv`, runsToCsv(snapshot.runs), 'text/csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          disabled={!snapshot}
          title="Per run: mean ± sample std over its seeds of the final loss, best test accuracy and steps to the target loss"
          onClick={() =>
            snapshot && download(`risotto-lab-${stamp}-summary.csv`, summaryToCsv(snapshot.runs, experiment.lossTarget), 'text/csv')
          }
        >
          Export summary CSV
        </button>
        <button type="button" disabled={busy} onClick={() => file.current?.click()}>
          Import JSON
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Import results JSON"
          onChange={(e) => e.target.files?.[0] && void saved.importFile(e.target.files[0])}
        />
        <select aria-label="Run for weights" value={runKey} onChange={(e) => setRunKey(e.target.value)} disabled={withWeights.length === 0}>
          <option value="">Weights of run…</option>
          {withWeights.map((r) => (
            <option key={r.key} value={r.key}>
              {r.seedIndex ? `${r.label}, seed ${r.seedIndex + 1}` : r.label}
            </option>
          ))}
        </select>
        <button type="button" disabled={!runKey || !withWeights.some((r) => r.key === runKey)} onClick={() => void saved.weights(runKey)}>
          Export weights
        </button>
      </div>
      <PytorchControls />
      <details className="saved" open={list.length > 0}>
        <summary>Saved in this browser ({list.length})</summary>
        <ul data-testid="saved-experiments">
          {list.map((x) => {
            const resumable = x.phase !== 'finished' && x.checkpointStep !== undefined;
            return (
              <li
                key={x.id}
                data-testid={`saved-${x.id}`}
                data-phase={x.phase}
                data-step={x.step}
                data-checkpoint-step={x.checkpointStep ?? ''}
              >
                <span className="saved-title">
                  {new Date(x.createdAt).toLocaleString()} · {x.config.dataset.slice(0, 12)} ·{' '}
                  {x.config.schemes.map((s) => s.id).join(', ')} · {x.phase} at step {x.step}/{x.totalSteps}
                  {resumable ? ` (checkpoint at ${x.checkpointStep})` : ''}
                </span>
                <button type="button" disabled={busy} onClick={() => void saved.view(x.id)}>
                  View
                </button>
                {resumable ? (
                  <button type="button" disabled={busy} onClick={() => void saved.resume(x.id)}>
                    Resume
                  </button>
                ) : null}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => window.confirm('Delete this saved experiment and its results?') && void saved.remove(x.id)}
                >
                  Delete
                </button>
              </li>
            );
          })}
        </ul>
      </details>
    </section>
  );
}
