// Run, Pause, Resume, Stop and Reset for the whole comparison, enabled by its phase;
// when Run is off the reason stands beside it.
import { useMemo } from 'react';
import { defaultExperiment, validateExperiment } from '../../lab';
import { useLabActions } from '../labContext';
import { useLabStore } from '../store';
import { controlState } from './controlState';
import { useFormGeneration } from './formGeneration';
import { SharePresets } from './SharePresets';
import { SoftwareNotice } from './SoftwareNotice';

export function Controls() {
  const actions = useLabActions();
  const experiment = useLabStore((s) => s.experiment);
  const phase = useLabStore((s) => s.snapshot?.phase);
  const hasResults = useLabStore((s) => s.snapshot !== undefined || s.external.length > 0);
  const gpuReady = useLabStore((s) => s.gpu.status === 'ready');
  const errors = useMemo(() => validateExperiment(experiment), [experiment]);
  const c = controlState(phase, errors, gpuReady);
  const reset = () => {
    if (hasResults && !window.confirm('Reset the experiment to its defaults and clear the results?')) return;
    const st = useLabStore.getState();
    st.setExperiment(() => defaultExperiment());
    st.resetResults();
    // Imported runs leave the page too; they stay saved with the experiment they came in with.
    st.setExternal(() => []);
    useFormGeneration.getState().bump();
  };
  return (
    <div className="controls" role="toolbar" aria-label="Comparison controls">
      <button type="button" className="primary" disabled={!c.run} title={c.runReason} onClick={() => void actions.start(experiment)}>
        Run
      </button>
      <button type="button" disabled={!c.pause} onClick={() => actions.pause()}>
        Pause
      </button>
      <button type="button" disabled={!c.resume} onClick={() => actions.resume()}>
        Resume
      </button>
      <button type="button" disabled={!c.stop} onClick={() => actions.stop()}>
        Stop
      </button>
      <button type="button" disabled={!c.reset} onClick={reset}>
        Reset
      </button>
      <SharePresets disabled={!c.reset} />
      {c.runReason && !c.stop ? (
        <span className="controls-reason" data-testid="run-reason">
          {c.runReason}
        </span>
      ) : null}
      <SoftwareNotice />
    </div>
  );
}
