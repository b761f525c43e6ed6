// The sidebar form that edits the experiment: dataset, model, schemes, optimizer and
// training. Locked while a comparison runs; lists what would stop Run under the form.
import { useMemo } from 'react';
import { validateExperiment } from '../../lab';
import { useLabStore } from '../store';
import { isBusy } from './controlState';
import { DatasetField } from './DatasetField';
import { useFormGeneration } from './formGeneration';
import { modelInfo, shapeFor } from './modelInfo';
import { ModelFields } from './ModelFields';
import { OptimizerFields } from './OptimizerFields';
import { RunList } from './RunList';
import { SchemePicker } from './SchemePicker';
import { TrainingFields } from './TrainingFields';

export function ExperimentPanel() {
  const experiment = useLabStore((s) => s.experiment);
  const dataset = useLabStore((s) => s.dataset);
  const busy = useLabStore((s) => isBusy(s.snapshot?.phase));
  const info = useMemo(() => modelInfo(experiment, shapeFor(experiment.dataset, dataset)), [experiment, dataset]);
  const errors = useMemo(() => validateExperiment(experiment), [experiment]);
  const generation = useFormGeneration((s) => s.generation);
  return (
    <form className="experiment-panel" aria-label="Experiment" onSubmit={(e) => e.preventDefault()}>
      <h2>Experiment</h2>
      {/* A disabled fieldset disables every control inside, including ones added later. */}
      <fieldset key={generation} className="experiment-fields" disabled={busy}>
        <DatasetField />
        <SchemePicker info={info} />
        <RunList />
        <ModelFields info={info} />
        <OptimizerFields />
        <TrainingFields />
      </fieldset>
      {busy ? <p className="field-note">Settings are locked while the comparison runs.</p> : null}
      {errors.length ? (
        <ul className="form-errors" data-testid="experiment-errors" aria-label="Problems with the experiment">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
