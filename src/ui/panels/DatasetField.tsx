// The dataset picker: built-in sets and the uploads stored in this browser, loaded in
// the Worker when chosen, with a one-line summary of what actually loaded (or why it
// did not). Uploading (button or a drop anywhere on the page) lives here too; a failed
// upload shows its error and leaves the chosen dataset as it was.
import { useEffect, useId, useRef, useState } from 'react';
import { BUILTIN_DATASETS, STANDARD_DATASETS, describeClasses, isStandardUpload } from '../../lab';
import { DropZone } from '../DropZone';
import type { NamedBlob } from '../fileInput';
import type { UploadOptions as UploadOptionsType } from '../../lab';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { useUploadState } from '../uploadState';
import { isBusy } from './controlState';
import { DatasetView } from './DatasetView';
import { formatCompact } from './format';
import { StoredDatasets } from './StoredDatasets';
import { UploadOptions } from './UploadOptions';
import { DEFAULT_UPLOAD_FORM, uploadOptionsFrom, type UploadOptionsForm } from './uploadOptions';
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
  const uploadNotes = useUploadState((s) => s.notes);
  const clearUploadError = () => useUploadState.getState().set({ error: undefined });
  const [form, setForm] = useState<UploadOptionsForm>(DEFAULT_UPLOAD_FORM);
  const { loadDataset, uploadFiles } = useLabActions();
  // Options that are not usable stop the upload before any file is read, saying which.
  const upload = (files: NamedBlob[]) => {
    let opts: UploadOptionsType;
    try {
      opts = uploadOptionsFrom(form);
    } catch (e) {
      return useUploadState.getState().set({ error: e instanceof Error ? e.message : String(e) });
    }
    void uploadFiles(files, opts);
  };
  const picker = useRef<HTMLInputElement>(null);
  const loaded = dataset?.id === datasetId ? dataset : undefined;
  // Loading follows the choice (also the one restored from defaults or a Reset), so the
  // summary and the model's input shape are the real dataset's, not the catalog's claim.
  useEffect(() => {
    if (useLabStore.getState().dataset?.id !== datasetId) void loadDataset(datasetId);
  }, [datasetId, loadDataset]);
  const builtin = BUILTIN_DATASETS.find((d) => d.id === datasetId);
  const known = builtin ?? STANDARD_DATASETS.find((d) => d.id === datasetId) ?? stored.find((d) => d.id === datasetId);
  const pick = (files: FileList | null) => {
    if (files?.length) upload(Array.from(files, (f) => ({ name: f.name, blob: f })));
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
        <optgroup label="Standard (upload once)">
          {STANDARD_DATASETS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {stored.some((s) => isStandardUpload(s, d)) ? '' : ` (drop ${d.file} to add)`}
            </option>
          ))}
        </optgroup>
        {known ? null : <option value={datasetId}>Uploaded ({datasetId.slice(0, 8)}, not in this browser)</option>}
      </select>
      <p className="field-note" data-testid="dataset-summary">
        {loaded
          ? `${loaded.size}×${loaded.width}×${loaded.channels} · ${describeClasses(loaded.classes, loaded.emptyClasses)} · ${formatCompact(loaded.trainCount)} train / ${formatCompact(loaded.testCount)} test`
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
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Choose files to upload"
          data-testid="upload-input"
          onChange={(e) => pick(e.target.files)}
        />
      </div>
      <UploadOptions form={form} onChange={setForm} />
      <UploadProgress />
      {uploadNotes ? (
        <p className="field-note" role="status" data-testid="upload-notes">
          {uploadNotes.join('. ')}.
        </p>
      ) : null}
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
      <DropZone onFiles={upload} blocked={busy ? 'A comparison is running: stop it to upload a dataset.' : undefined} />
    </div>
  );
}
