// The dataset picker: built-in sets, loaded in the Worker when chosen, with a one-line
// summary of what actually loaded (or why it did not).
import { useEffect, useId } from 'react';
import { BUILTIN_DATASETS } from '../../lab/catalog';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { formatCompact } from './format';

export function DatasetField() {
  const id = useId();
  const datasetId = useLabStore((s) => s.experiment.dataset);
  const dataset = useLabStore((s) => s.dataset);
  const error = useLabStore((s) => s.datasetError);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const { loadDataset } = useLabActions();
  const loaded = dataset?.id === datasetId ? dataset : undefined;
  // Loading follows the choice (also the one restored from defaults or a Reset), so the
  // summary and the model's input shape are the real dataset's, not the catalog's claim.
  useEffect(() => {
    if (useLabStore.getState().dataset?.id !== datasetId) void loadDataset(datasetId);
  }, [datasetId, loadDataset]);
  const builtin = BUILTIN_DATASETS.find((d) => d.id === datasetId);
  return (
    <div className="field field-wide" title={builtin?.description}>
      <label htmlFor={id}>Dataset</label>
      <select id={id} value={datasetId} onChange={(e) => setExperiment((x) => ({ ...x, dataset: e.target.value }))}>
        {BUILTIN_DATASETS.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
        {builtin ? null : <option value={datasetId}>Uploaded ({datasetId.slice(0, 8)})</option>}
      </select>
      <p className="field-note" data-testid="dataset-summary">
        {loaded
          ? `${loaded.size}×${loaded.size}×${loaded.channels} · ${loaded.classes} classes · ${formatCompact(loaded.trainCount)} train / ${formatCompact(loaded.testCount)} test`
          : error
            ? null
            : 'Loading…'}
      </p>
      {!loaded && error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
