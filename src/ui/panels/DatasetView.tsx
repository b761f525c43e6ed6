// A collapsible look at the chosen dataset: sample thumbnails per class drawn on
// canvases, class counts per split, image size, channels, the normalisation the runs
// will use, and the train/test split. Opens by itself after an upload.
import { useEffect, useRef, useState } from 'react';
import type { ClassPreview, DatasetPreview, DatasetInfo as DatasetSummary } from '../../lab';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { useUploadState } from '../uploadState';
import { isBusy } from './controlState';

const channelNames = (c: number) => (c === 1 ? ['grey'] : c === 3 ? ['R', 'G', 'B'] : Array.from({ length: c }, (_, i) => `c${i}`));
const fixed3 = (v: number) => v.toFixed(3);

export function DatasetView() {
  const datasetId = useLabStore((s) => s.experiment.dataset);
  const loaded = useLabStore((s) => s.dataset?.id === s.experiment.dataset);
  const preview = useUploadState((s) => s.preview);
  const previewError = useUploadState((s) => s.previewError);
  const uploads = useUploadState((s) => s.uploads);
  const { loadPreview, dropEmptyClasses } = useLabActions();
  const info = useLabStore((s) => (s.dataset?.id === s.experiment.dataset ? s.dataset : undefined));
  const busy = useLabStore((s) => isBusy(s.snapshot?.phase));
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (uploads > 0) setOpen(true);
  }, [uploads]);
  const current = preview?.id === datasetId ? preview : undefined;
  const failed = previewError?.id === datasetId ? previewError.message : undefined;
  useEffect(() => {
    if (open && loaded && !current && !failed) void loadPreview(datasetId);
  }, [open, loaded, current, failed, datasetId, loadPreview]);
  return (
    <>
      {info && info.emptyClasses > 0 ? (
        <EmptyClassesNote info={info} disabled={busy} onDrop={() => void dropEmptyClasses(info.id)} />
      ) : null}
      <details className="dataset-view" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="dataset-view">
        <summary>Samples and statistics</summary>
        {current ? (
          <PreviewBody p={current} />
        ) : failed ? (
          <p className="field-error" role="alert">
            {failed}
          </p>
        ) : (
          <p className="field-note">Loading…</p>
        )}
      </details>
    </>
  );
}

/** Declared classes without examples still get an output unit and count in accuracy. */
function EmptyClassesNote({ info, disabled, onDrop }: { info: DatasetSummary; disabled: boolean; onDrop: () => void }) {
  return (
    <p className="field-warning" role="status" data-testid="empty-classes">
      {info.emptyClasses} of the {info.classes} declared classes hold no example; the model would still have an output for each.{' '}
      <button type="button" disabled={disabled} onClick={onDrop} data-testid="drop-empty-classes">
        Drop the empty classes
      </button>
    </p>
  );
}

function PreviewBody({ p }: { p: DatasetPreview }) {
  const names = channelNames(p.channels);
  const slots = Math.max(1, ...p.classes.map((c) => c.samples.length));
  const total = p.trainCount + p.testCount;
  return (
    <>
      <dl className="dataset-stats" data-testid="dataset-stats">
        <dt>Images</dt>
        <dd>
          {p.height}×{p.width} px, {p.channels} channel{p.channels === 1 ? '' : 's'} ({names.join(', ')})
        </dd>
        <dt>Split</dt>
        <dd data-testid="dataset-split">
          {p.trainCount.toLocaleString('en-US')} train / {p.testCount.toLocaleString('en-US')} test (
          {Math.round((100 * p.testCount) / total)}% test)
        </dd>
        <dt>Mean</dt>
        <dd className="num">{p.mean.map((m, i) => `${names[i]} ${fixed3(m)}`).join(' · ')}</dd>
        <dt>Std</dt>
        <dd className="num">{p.std.map((s, i) => `${names[i]} ${fixed3(s)}`).join(' · ')}</dd>
      </dl>
      <p className="field-note">Per class: train / test images, and the first training samples.</p>
      <div className="class-grid" data-testid="class-grid">
        {p.classes.map((c) => (
          <ClassRow key={c.index} c={c} slots={slots} tw={p.thumbWidth} th={p.thumbHeight} />
        ))}
      </div>
    </>
  );
}

function ClassRow({ c, slots, tw, th }: { c: ClassPreview; slots: number; tw: number; th: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    c.samples.forEach((rgba, k) => ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), tw, th), k * (tw + 1), 0));
  }, [c, tw, th]);
  return (
    <div
      className="class-row"
      data-testid={`class-row-${c.index}`}
      data-samples={c.samples.length}
      data-train={c.trainCount}
      data-test={c.testCount}
    >
      <div className="class-name" title={`${c.name}: ${c.trainCount} train / ${c.testCount} test`}>
        <span>{c.name}</span>
        <span className="muted num">
          {c.trainCount} / {c.testCount}
        </span>
      </div>
      {c.samples.length ? (
        <canvas ref={canvas} width={slots * (tw + 1) - 1} height={th} aria-label={`samples of ${c.name}`} />
      ) : (
        <span className="muted class-empty">{c.trainCount + c.testCount === 0 ? 'empty class' : 'no samples'}</span>
      )}
    </div>
  );
}
