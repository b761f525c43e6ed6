// The bar shown while an upload is read, unpacked, parsed and stored. Phases that cannot
// measure themselves (parsing in the Worker) show a moving stripe over the bar.
import type { UploadPhase } from '../../lab';
import { useUploadState } from '../uploadState';

const PHASE_LABEL: Record<UploadPhase, string> = {
  reading: 'Reading files',
  decompressing: 'Unpacking and parsing',
  parsing: 'Parsing',
  decoding: 'Decoding images',
  storing: 'Storing in this browser',
  done: 'Done',
};

export function UploadProgress() {
  const p = useUploadState((s) => s.progress);
  if (!p) return null;
  const pct = Math.round(100 * p.fraction);
  const measured = p.phaseFraction !== undefined;
  return (
    <div className="upload-progress" data-testid="upload-progress" data-phase={p.phase}>
      <div className="upload-progress-text">
        <span>
          {PHASE_LABEL[p.phase]}
          {measured ? ` ${Math.round(100 * p.phaseFraction!)}%` : '…'}
        </span>
        <span className="muted upload-progress-file" title={p.label}>
          {p.label}
        </span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${PHASE_LABEL[p.phase]}, ${pct}%`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
        {measured ? null : <div className="upload-progress-busy" />}
      </div>
    </div>
  );
}
