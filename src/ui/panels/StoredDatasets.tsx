// The uploads kept in this browser's storage, each with its size and a delete button
// (after a confirm). Choosing one happens in the dataset select above.
import { useLabActions } from '../labContext';
import { useUploadState } from '../uploadState';
import { formatCompact, formatMegabytes } from './format';

export function StoredDatasets() {
  const stored = useUploadState((s) => s.stored);
  const error = useUploadState((s) => s.storedError);
  const { deleteStored } = useLabActions();
  if (!stored.length && !error) return null;
  const remove = (id: string, name: string) => {
    if (!window.confirm(`Delete "${name}" from this browser's storage? Experiments that use it will ask for the file again.`)) return;
    void deleteStored(id);
  };
  return (
    <div className="stored-datasets">
      {stored.length ? (
        <ul aria-label="Stored uploads" data-testid="stored-datasets">
          {stored.map((d) => (
            <li key={d.id} data-testid="stored-dataset" data-id={d.id}>
              <span className="stored-name" title={`${d.name}\nadded ${new Date(d.addedAt).toLocaleString()}\nid ${d.id}`}>
                {d.name}
              </span>
              <span className="muted num">
                {formatCompact(d.trainCount + d.testCount)} imgs · {d.bytes < 1024 ** 2 ? `${Math.max(1, Math.round(d.bytes / 1024))} KB` : formatMegabytes(d.bytes)}
              </span>
              <button type="button" className="stored-delete" aria-label={`Delete ${d.name}`} title="Delete from this browser" onClick={() => remove(d.id, d.name)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
