// Run length and data handling: batch size, steps, evaluation cadence, augmentation and
// the seed every scheme shares (same data order, same augmentations).
import type { ExperimentConfig } from '../../lab/experiment';
import { useLabStore } from '../store';
import { withSteps } from './experimentEdits';
import { NumberField } from './NumberField';

export function TrainingFields() {
  const e = useLabStore((s) => s.experiment);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const set = (p: Partial<ExperimentConfig>) => setExperiment((x) => ({ ...x, ...p }));
  return (
    <fieldset className="group">
      <legend>Training</legend>
      <NumberField label="Batch size" integer min={2} max={4096} value={e.batchSize} onChange={(batchSize) => set({ batchSize })} />
      <NumberField label="Steps" integer min={1} value={e.steps} onChange={(steps) => setExperiment((x) => withSteps(x, steps))} />
      <NumberField label="Eval every" title="Test-set evaluation every this many steps, and at the end" integer min={1} unit="steps" value={e.evalEvery} onChange={(evalEvery) => set({ evalEvery })} />
      <NumberField label="Eval batches" title="Test batches per evaluation; 0 evaluates the whole test split" integer min={0} value={e.evalBatches} onChange={(evalBatches) => set({ evalBatches })} />
      <label className="check" title="Mirror each training image left-right with probability 1/2">
        <input type="checkbox" checked={e.augment.flip} onChange={(ev) => setExperiment((x) => ({ ...x, augment: { ...x.augment, flip: ev.target.checked } }))} />
        Random flip
      </label>
      <NumberField label="Crop padding" title="Pad by this many pixels, then crop at a random offset (0: off)" integer min={0} max={8} unit="px" value={e.augment.cropPad} onChange={(cropPad) => setExperiment((x) => ({ ...x, augment: { ...x.augment, cropPad } }))} />
      <NumberField label="Seed" title="Same seed, same init draws and data order for every scheme" integer min={0} max={2 ** 32 - 1} value={e.seed} onChange={(seed) => set({ seed })} />
    </fieldset>
  );
}
