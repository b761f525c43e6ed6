// The upload panel's options: how much of an upload without a test set is held out, the
// image shape of pixel CSV files (when rows are not square images), and the size folder
// images are resized to. Controlled; uploadOptions.ts turns it into parser options.
import { TEST_PERCENTS, type UploadOptionsForm } from './uploadOptions';

export function UploadOptions({ form, onChange }: { form: UploadOptionsForm; onChange: (f: UploadOptionsForm) => void }) {
  const set = (patch: Partial<UploadOptionsForm>) => onChange({ ...form, ...patch });
  return (
    <details className="upload-options" data-testid="upload-options">
      <summary>Upload options</summary>
      <label className="inline">
        Test split{' '}
        <select
          aria-label="Test split"
          title="Share of each class held out for testing when the upload has no test set"
          value={form.testPercent}
          onChange={(e) => set({ testPercent: e.target.value })}
        >
          {TEST_PERCENTS.map((p) => (
            <option key={p} value={String(p)}>
              {p}%
            </option>
          ))}
        </select>
      </label>
      <fieldset className="upload-csv">
        <legend>CSV image shape (empty: square, from the row length)</legend>
        <select aria-label="CSV channels" value={form.csvChannels} onChange={(e) => set({ csvChannels: e.target.value })}>
          <option value="">channels: auto</option>
          <option value="1">1 (grey)</option>
          <option value="3">3 (RGB planes)</option>
        </select>
        <input
          type="text"
          inputMode="numeric"
          aria-label="CSV height"
          placeholder="height"
          value={form.csvHeight}
          onChange={(e) => set({ csvHeight: e.target.value })}
        />
        <span aria-hidden="true">×</span>
        <input
          type="text"
          inputMode="numeric"
          aria-label="CSV width"
          placeholder="width"
          value={form.csvWidth}
          onChange={(e) => set({ csvWidth: e.target.value })}
        />
      </fieldset>
      <label className="inline">
        Image folders{' '}
        <select
          aria-label="Resize folder images"
          title="Only for zips or folders of images: resize every image to this size (needed when their sizes differ)"
          value={form.resize}
          onChange={(e) => set({ resize: e.target.value })}
        >
          <option value="">keep size</option>
          {[28, 32, 64].map((n) => (
            <option key={n} value={n}>
              resize to {n}×{n}
            </option>
          ))}
        </select>
      </label>
    </details>
  );
}
