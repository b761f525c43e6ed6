// The dataset picker: built-in sets and the uploads stored in this browser, loaded in
// the Worker when chosen, with a one-line summary of what actually loaded (or why it
// did not). Uploading (button or a drop anywhere on the page) lives here too; a failed
// upload shows its error and leaves the chosen dataset as it was.
import { useEffect, useId, useRef, useState } from 'react';
import { BUILTIN_DATASETS, describeClasses } from '../../lab/catalog';
import { DropZone } from '../DropZone';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { useUploadState } from '../uploadState';
import { isBusy } from './controlState';
import { DatasetView } from './DatasetView';
import { formatCompact } from './format';
import { StoredDatasets } from './StoredDatasets';
import { UploadProgress } from './UploadProgress';

export function DatasetField() {
  const id = useId();
  const datasetId = useLabStore((s) => s.experiment.dataset);
  const dataset = useLabStore((s) => s.dataset);
  const error = useLabStore((s) => s.datasetError);
  const busy = useLabStore((s) => isBusy(s.snapshot?.phase));
  const setExperiment = useLabStore((s) => s.setExperiment);
  const stored = useUploadState((s) => s.stored);
  const uploading = useUploadState((s) => s.progress !== undefined);
  const uploadError = useUploadState((s) => s.error);
  const clearUploadError = () => useUploadState.getState().set({ error: undefined });
  // Folders of images of mixed sizes need one size to be resized to; other formats ignore it.
  const [resize, setResize] = useState('');
  const uploadOptions = resize ? { images: { size: Number(resize) } } : {};
  const { loadDataset, uploadFiles } = useLabActions();
  const picker = useRef<HTMLInputElement>(null);
  const loaded = dataset?.id === datasetId ? dataset : undefined;
  // Loading follows the choice (also the one restored from defaults or a Reset), so the
  // summary and the model's input shape are the real dataset's, not the catalog's claim.
  useEffect(() => {
    if (useLabStore.getState().dataset?.id !== datasetId) void loadDataset(datasetId);
  }, [datasetId, loadDataset]);
  const builtin = BUILTIN_DATASETS.find((d) => d.id === datasetId);
  const known = builtin ?? stored.find((d) => d.id === datasetId);
  const pick = (files: FileList | null) => {
    if (files?.length) void uploadFiles(Array.from(files, (f) => ({ name: f.name, blob: f })), uploadOptions);
    // Cleared so choosing the same file again (after fixing it) fires a change.
    if (picker.current) picker.current.value = '';
  };
  return (
    <div className="field field-wide dataset-field" title={builtin?.description}>
      <label htmlFor={id}>Dataset</label>
      <select id={id} value={datasetId} onChange={(e) => setExperiment((x) => ({ ...x, dataset: e.target.value }))}>
        {BUILTIN_DATASETS.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
        {stored.length ? (
          <optgroup label="Uploaded">
            {stored.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {known ? null : <option value={datasetId}>Uploaded ({datasetId.slice(0, 8)}, not in this browser)</option>}
      </select>
      <p className="field-note" data-testid="dataset-summary">
        {loaded
          ? `${loaded.size}×${loaded.size}×${loaded.channels} · ${describeClasses(loaded.classes, loaded.emptyClasses)} · ${formatCompact(loaded.trainCount)} train / ${formatCompact(loaded.testCount)} test`
          : error
            ? null
            : 'Loading…'}
      </p>
      {!loaded && error ? (
        <p className="field-error" role="alert" data-testid="dataset-error">
          {error}
        </p>
      ) : null}
      <div className="upload-row">
        <button type="button" className="upload-button" disabled={uploading} onClick={() => picker.current?.click()}>
          Upload files…
        </button>
        <span className="field-note">or drop them anywhere on the page</span>
        <select
          aria-label="Resize folder images"
          title="Only for zips or folders of images: resize every image to this size (needed when their sizes differ)"
          value={resize}
          onChange={(e) => setResize(e.target.value)}
        >
          <option value="">image folders: keep size</option>
          {[28, 32, 64].map((n) => (
            <option key={n} value={n}>
              image folders → {n}×{n}
            </option>
          ))}
        </select>
        <input ref={picker} type="file" multiple hidden aria-label="Choose files to upload" data-testid="upload-input" onChange={(e) => pick(e.target.files)} />
      </div>
      <UploadProgress />
      {uploadError ? (
        <p className="field-error upload-error" role="alert" data-testid="upload-error">
          <span>Upload failed: {uploadError}</span>
          <button type="button" onClick={clearUploadError} aria-label="Dismiss the upload error">
            ×
          </button>
        </p>
      ) : null}
      <StoredDatasets />
      <DatasetView />
      <DropZone onFiles={(files) => void uploadFiles(files, uploadOptions)} blocked={busy ? 'A comparison is running: stop it to upload a dataset.' : undefined} />
    </div>
  );
}
