// The comparison as a list of runs: each run's label and colour, one click to add the
// same run with BatchNorm switched, and the run's own model settings (BatchNorm, skips,
// a_res / a_skip and whether they are learned), read from the run settings table.
import { useId } from 'react';
import type { RunChoice } from '../../lab';
import { RUN_MODEL_FIELDS, runLabel, runKey } from '../../lab';
import { runStyles } from '../charts/chartColors';
import { useLabStore } from '../store';
import { OptionalNumberField } from './NumberField';
import { runHasBn, withBnTwin, withoutRun, withRunSetting } from './runEdits';

const fieldOf = (name: string) => RUN_MODEL_FIELDS.find((f) => f.name === name)!;

export function RunList() {
  const experiment = useLabStore((s) => s.experiment);
  const setExperiment = useLabStore((s) => s.setExperiment);
  const runs = experiment.schemes;
  const styles = runStyles(runs.map((r) => ({ key: runKey(r), label: runLabel(r), schemeId: r.id })));
  return (
    <fieldset className="group runs-list">
      <legend>Runs</legend>
      <p className="field-note field-wide">Each run is a scheme with its own model settings; an empty setting follows the model below.</p>
      <ol className="run-rows field-wide">
        {runs.map((run, i) => (
          <li key={runKey(run)} className="run-row" data-testid={`runlist-${runKey(run)}`}>
            <div className="run-head">
              <span className="swatch" style={{ background: styles[i].color }} aria-hidden="true" />
              <strong data-testid="run-label">{styles[i].label}</strong>
              <button type="button" data-testid={`run-bn-twin-${i}`} onClick={() => setExperiment((e) => withBnTwin(e, i))}>
                {runHasBn(experiment, run) ? 'Add without BN' : 'Add with BN'}
              </button>
              <button
                type="button"
                aria-label={`Remove ${styles[i].label}`}
                disabled={runs.length <= 1}
                onClick={() => setExperiment((e) => withoutRun(e, i))}
              >
                ✕
              </button>
            </div>
            <RunSettings run={run} index={i} />
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

function RunSettings({ run, index }: { run: RunChoice; index: number }) {
  const bnId = useId();
  const skipId = useId();
  const setExperiment = useLabStore((s) => s.setExperiment);
  const m = run.model ?? {};
  const set = <K extends keyof NonNullable<RunChoice['model']>>(name: K, v: NonNullable<RunChoice['model']>[K] | undefined) =>
    setExperiment((e) => withRunSetting(e, index, name, v));
  const [bn, skip, ares, askip, lres, lskip] = ['batchNorm', 'skip', 'aRes', 'aSkip', 'learnRes', 'learnSkip'].map(fieldOf);
  return (
    <div className="run-settings">
      <div className="field" title={bn.help}>
        <label htmlFor={bnId}>{bn.label}</label>
        <select
          id={bnId}
          value={m.batchNorm === undefined ? '' : m.batchNorm ? '1' : '0'}
          onChange={(e) => set('batchNorm', e.target.value === '' ? undefined : e.target.value === '1')}
        >
          <option value="">as the model</option>
          <option value="1">on</option>
          <option value="0">off</option>
        </select>
      </div>
      <div className="field" title={skip.help}>
        <label htmlFor={skipId}>{skip.label}</label>
        <select
          id={skipId}
          value={m.skip ?? ''}
          onChange={(e) => set('skip', e.target.value === '' ? undefined : (e.target.value as 'B' | 'C'))}
        >
          <option value="">as the model</option>
          <option value="B">Type B</option>
          <option value="C">Type C</option>
        </select>
      </div>
      <OptionalNumberField
        label={ares.label}
        title={ares.help}
        placeholder="scheme's"
        nonZero
        min={-100}
        max={100}
        value={m.aRes}
        onChange={(v) => set('aRes', v)}
      />
      <OptionalNumberField
        label={askip.label}
        title={askip.help}
        placeholder="scheme's"
        nonZero
        min={-100}
        max={100}
        value={m.aSkip}
        onChange={(v) => set('aSkip', v)}
      />
      <label className="check" title={lres.help}>
        <input type="checkbox" checked={m.learnRes === true} onChange={(e) => set('learnRes', e.target.checked ? true : undefined)} />
        {lres.label}
      </label>
      <label className="check" title={lskip.help}>
        <input type="checkbox" checked={m.learnSkip === true} onChange={(e) => set('learnSkip', e.target.checked ? true : undefined)} />
        {lskip.label}
      </label>
    </div>
  );
}
