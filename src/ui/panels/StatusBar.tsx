// Where the comparison stands: phase, a progress bar with step / total and ETA, speed,
// GPU memory in use and the adapter it runs on.
import { useLabStore } from '../store';
import { formatElapsedMs } from './format';
import { adapterName, statusView } from './statusView';

export function StatusBar() {
  const snapshot = useLabStore((s) => s.snapshot);
  const steps = useLabStore((s) => s.experiment.steps);
  const gpu = useLabStore((s) => s.gpu);
  const v = statusView(snapshot, steps);
  const adapter = gpu.status === 'ready' ? gpu.info.adapter : undefined;
  return (
    <section className="card status-bar" data-testid="status-bar" data-phase={v.phase} data-step={v.step} aria-label="Status">
      <div className="status-line">
        <span className={`phase phase-${v.phase}`} data-testid="status-phase" role="status">
          {v.phaseLabel}
        </span>
        <span className="num" data-testid="status-progress">
          step {v.progress}
        </span>
        <span className="muted">ETA {v.eta}</span>
        <span className="muted">{v.rates}</span>
        {snapshot && snapshot.compileMs > 0 ? <span className="muted">compiled in {formatElapsedMs(snapshot.compileMs)}</span> : null}
        {v.recovered ? <span className="warn">{v.recovered}</span> : null}
        {snapshot?.kernels ? (
          <span
            className="muted"
            data-testid="kernel-choice"
            data-tuning={String(snapshot.kernels.tuning)}
            data-shapes={snapshot.kernels.shapes}
            data-timed={snapshot.kernels.timed}
            title="Kernel variants per conv shape: timed on this GPU and the fastest kept (the Tune kernels setting beside the GPU's name), or the fixed defaults"
          >
            {v.kernels}
          </span>
        ) : null}
        <span className="muted" title="GPU buffers the lab holds now">
          GPU mem {v.memory}
        </span>
        <span className="muted adapter" title={adapter ? adapterName(adapter) : undefined}>
          {gpu.status === 'lost' ? 'GPU lost' : adapterName(adapter)}
        </span>
      </div>
      {snapshot?.warnings?.length ? (
        <ul className="status-warnings" data-testid="status-warnings">
          {snapshot.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <div
        className="progress"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={v.total}
        aria-valuenow={v.step}
        aria-valuetext={`step ${v.progress}`}
      >
        <div className={`progress-fill phase-${v.phase}`} style={{ width: `${(100 * v.fraction).toFixed(2)}%` }} />
      </div>
    </section>
  );
}
