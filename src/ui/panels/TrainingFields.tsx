// Run length and data handling: batch size, steps, evaluation cadence, augmentation and
// the seed every scheme shares (same data order, same augmentations) and how many seeds
// each run is repeated over.
import type { ExperimentConfig } from '../../lab';
import { useLabStore } from '../store';
import { withSteps } from './experimentEdits';
import { fieldText, numberRule } from './fieldRules';
import { NumberField } from './NumberField';

export function TrainingFields() {
  const e = useLabStore((s) => s.experiment);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const set = (p: Partial<ExperimentConfig>) => setExperiment((x) => ({ ...x, ...p }));
  return (
    <fieldset className="group">
      <legend>Training</legend>
      <NumberField {...numberRule('bs')} value={e.batchSize} onChange={(batchSize) => set({ batchSize })} />
      <NumberField {...numberRule('steps')} value={e.steps} onChange={(steps) => setExperiment((x) => withSteps(x, steps))} />
      <NumberField {...numberRule('eval')} value={e.evalEvery} onChange={(evalEvery) => set({ evalEvery })} />
      <NumberField {...numberRule('evalb')} value={e.evalBatches} onChange={(evalBatches) => set({ evalBatches })} />
      <label className="check" title={fieldText('flip').title}>
        <input
          type="checkbox"
          checked={e.augment.flip}
          onChange={(ev) => setExperiment((x) => ({ ...x, augment: { ...x.augment, flip: ev.target.checked } }))}
        />
        {fieldText('flip').label}
      </label>
      <NumberField
        {...numberRule('crop')}
        value={e.augment.cropPad}
        onChange={(cropPad) => setExperiment((x) => ({ ...x, augment: { ...x.augment, cropPad } }))}
      />
      <NumberField
        {...numberRule('mix')}
        value={e.augment.mixup ?? 0}
        onChange={(mixup) => setExperiment((x) => ({ ...x, augment: { ...x.augment, mixup } }))}
      />
      <NumberField {...numberRule('seed')} value={e.seed} onChange={(seed) => set({ seed })} />
      <NumberField {...numberRule('seeds')} value={e.seeds} onChange={(seeds) => set({ seeds })} />
      <NumberField {...numberRule('tgt')} value={e.lossTarget} onChange={(lossTarget) => set({ lossTarget })} />
    </fieldset>
  );
}
