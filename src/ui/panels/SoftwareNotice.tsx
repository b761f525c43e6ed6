// On a software adapter, a note that this experiment will take hours there, with one
// click to the same comparison at a size that finishes in minutes.
import { useMemo } from 'react';
import { describeLighterVariant, lighterVariant } from '../../lab';
import { useLabStore } from '../store';
import { useFormGeneration } from './formGeneration';

export function SoftwareNotice() {
  const experiment = useLabStore((s) => s.experiment);
  const software = useLabStore((s) => s.gpu.status === 'ready' && s.gpu.info.adapter.isSoftware);
  const busy = useLabStore((s) => ['compiling', 'running', 'paused'].includes(s.snapshot?.phase ?? 'idle'));
  const variant = useMemo(() => (software ? lighterVariant(experiment) : undefined), [software, experiment]);
  if (!variant || busy) return null;
  const apply = () => {
    useLabStore.getState().setExperiment(() => variant.experiment);
    useFormGeneration.getState().bump();
  };
  return (
    <p className="software-notice" role="note" data-testid="software-notice">
      {describeLighterVariant(variant)}{' '}
      <button type="button" onClick={apply} data-testid="use-lighter">
        Use the lighter variant
      </button>
    </p>
  );
}
