// The uploads kept in this browser's storage, each with a name the user can edit (Enter
// or leaving the field saves, Escape undoes), its size and a delete button (after a
// confirm). Choosing one happens in the dataset select above.
import { useEffect, useState } from 'react';
import type { StoredDatasetSummary } from '../../lab';
import { useLabActions } from '../labContext';
import { useUploadState } from '../uploadState';
import { formatCompact, formatMegabytes } from './format';

function StoredName({ d }: { d: StoredDatasetSummary }) {
  const { renameStored } = useLabActions();
  const [text, setText] = useState(d.name);
  useEffect(() => setText(d.name), [d.name]);
  const save = () => {
    if (text !== d.name)
      void renameStored(d.id, text).then(() => setText(useUploadState.getState().stored.find((s) => s.id === d.id)?.name ?? d.name));
  };
  return (
    <input
      type="text"
      className="stored-name"
      aria-label={`Name of ${d.name}`}
      title={`${d.name}\nadded ${new Date(d.addedAt).toLocaleString()}\nid ${d.id}`}
      value={text}
      maxLength={80}
      onChange={(e) => setText(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setText(d.name);
      }}
    />
  );
}

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
              <StoredName d={d} />
              <span className="muted num">
                {formatCompact(d.trainCount + d.testCount)} imgs ·{' '}
                {d.bytes < 1024 ** 2 ? `${Math.max(1, Math.round(d.bytes / 1024))} KB` : formatMegabytes(d.bytes)}
              </span>
              <button
                type="button"
                className="stored-delete"
                aria-label={`Delete ${d.name}`}
                title="Delete from this browser"
                onClick={() => remove(d.id, d.name)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="stored-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
