// "Export to PyTorch" (the experiment as a zipped Python package: model, init and
// training scripts, every scheme's initial weights, optionally the dataset) and "Import
// PyTorch CSV" (train.py's metrics.csv overlaid on the lab's runs), with their busy
// state, errors and warnings, and the full-size run's width and epochs (train.py --full). Works before any run: the weights come from the config.
import { useRef, useState } from 'react';
import { useLabActions } from '../labContext';
import { usePytorchState } from '../pytorchActions';
import { useLabStore } from '../store';
import { isStandardDatasetId } from '../../lab';
import type { ExperimentConfig } from '../../lab';
import { numberRule } from './fieldRules';
import { OptionalNumberField } from './NumberField';

/** The experiment with its full-size width or epochs set, or removed when empty. */
function withFull(e: ExperimentConfig, key: 'fullWidth' | 'fullEpochs', v: number | undefined): ExperimentConfig {
  const { [key]: _old, ...rest } = e;
  return v === undefined ? rest : { ...rest, [key]: v };
}

export function PytorchControls() {
  const { pytorch } = useLabActions();
  const exporting = usePytorchState((s) => s.exporting);
  const exportError = usePytorchState((s) => s.exportError);
  const importError = usePytorchState((s) => s.importError);
  const warnings = usePytorchState((s) => s.importWarnings);
  const imported = usePytorchState((s) => s.imported);
  // Undefined: the package's default (a copy of the images, except for a standard benchmark).
  const [includeChoice, setIncludeData] = useState<boolean | undefined>(undefined);
  const standard = useLabStore((s) => isStandardDatasetId(s.experiment.dataset));
  const includeData = includeChoice ?? !standard;
  const file = useRef<HTMLInputElement>(null);
  const fullWidth = useLabStore((s) => s.experiment.fullWidth);
  const fullEpochs = useLabStore((s) => s.experiment.fullEpochs);
  const setExperiment = useLabStore((s) => s.setExperiment);
  return (
    <div className="pytorch-controls" role="group" aria-label="PyTorch">
      <div className="results-actions">
        <button
          type="button"
          disabled={exporting}
          onClick={() => void pytorch.exportPackage(includeData)}
          title="Download this experiment as a PyTorch package (model.py, train.py, initial weights of every scheme)"
        >
          Export to PyTorch
        </button>
        {/* Not "include dataset": other controls are found by the label "Dataset". */}
        <label
          className="inline"
          title="The lab's training and test images go into the zip, so train.py trains on exactly them. Off: a smaller zip; train.py then reads CIFAR (torchvision) or an image folder."
        >
          <input type="checkbox" checked={includeData} onChange={(e) => setIncludeData(e.target.checked)} /> include data
        </label>
        <OptionalNumberField
          {...numberRule('fw')}
          placeholder="lab's"
          value={fullWidth}
          onChange={(v) => setExperiment((e) => withFull(e, 'fullWidth', v))}
        />
        <OptionalNumberField
          {...numberRule('fep')}
          placeholder="lab's steps"
          value={fullEpochs}
          onChange={(v) => setExperiment((e) => withFull(e, 'fullEpochs', v))}
        />
        <button
          type="button"
          onClick={() => file.current?.click()}
          title="Overlay the metrics.csv that train.py writes on this experiment's runs"
        >
          Import PyTorch CSV
        </button>
        <input
          ref={file}
          type="file"
          accept=".csv,text/csv"
          hidden
          aria-label="Import PyTorch metrics CSV"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = ''; // picking the same file again must import it again
            if (f) void pytorch.importCsv(f);
          }}
        />
        {exporting ? (
          <span className="busy" role="status" data-testid="pytorch-busy">
            Building PyTorch package…
          </span>
        ) : null}
      </div>
      {exportError ? (
        <p className="results-error" role="alert" data-testid="pytorch-export-error">
          {exportError}
        </p>
      ) : null}
      {importError ? (
        <p className="results-error" role="alert" data-testid="pytorch-import-error">
          {importError}
        </p>
      ) : imported ? (
        <div className="results-note" data-testid="pytorch-imported">
          Imported {imported.labels.join(', ')} from {imported.file} (dashed in the charts).
          {warnings.length ? (
            <ul className="results-warnings">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
