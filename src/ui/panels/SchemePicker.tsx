// The init schemes to compare: a checkbox per catalog entry (description as tooltip),
// the selected ones' options, and inline what each scheme changes or cannot do here.
import { useId } from 'react';
import { INIT_SCHEME_IDS, INIT_SCHEMES, type InitOptionSpec, type InitSchemeId } from '../../lab';
import type { SchemeChoice } from '../../lab';
import { useLabStore } from '../store';
import { withScheme, withSchemeOption } from './experimentEdits';
import type { ModelInfo } from './modelInfo';
import { NumberField, OptionalNumberField } from './NumberField';
import { schemeColor } from '../charts/chartColors';

export function SchemePicker({ info }: { info: ModelInfo }) {
  const schemes = useLabStore((s) => s.experiment.schemes);
  const setExperiment = useLabStore((s) => s.setExperiment);
  return (
    <fieldset className="group schemes">
      <legend>Initialization schemes</legend>
      {INIT_SCHEME_IDS.map((id) => {
        const chosen = schemes.find((s) => s.id === id);
        const scheme = INIT_SCHEMES[id];
        const si = info.schemes[id];
        return (
          <div key={id} className={`scheme${chosen ? ' scheme-on' : ''}`} data-testid={`scheme-${id}`}>
            <label className="check" title={scheme.description}>
              <input type="checkbox" checked={!!chosen} onChange={(e) => setExperiment((x) => withScheme(x, id, e.target.checked))} />
              <span className="swatch" style={{ background: schemeColor(id) }} aria-hidden="true" />
              {scheme.label}
            </label>
            {chosen && scheme.options.length ? (
              <div className="scheme-options">
                {scheme.options.map((spec) => (
                  <OptionInput key={spec.key} id={id} spec={spec} choice={chosen} />
                ))}
              </div>
            ) : null}
            {chosen && si?.note ? <p className="scheme-note">{si.note}</p> : null}
            {chosen
              ? si?.problems.map((p) => (
                  <p key={p} className="scheme-problem" role="status">
                    ⚠ {p}
                  </p>
                ))
              : null}
          </div>
        );
      })}
    </fieldset>
  );
}

function OptionInput({ id, spec, choice }: { id: InitSchemeId; spec: InitOptionSpec; choice: SchemeChoice }) {
  const selectId = useId();
  const setExperiment = useLabStore((s) => s.setExperiment);
  const set = (v: number | string | undefined) => setExperiment((x) => withSchemeOption(x, id, spec, v));
  const given = choice.options?.[spec.key];
  if (spec.type === 'choice') {
    return (
      <div className="field" title={spec.description}>
        <label htmlFor={selectId}>{spec.label}</label>
        <select id={selectId} value={typeof given === 'string' ? given : spec.default} onChange={(e) => set(e.target.value)}>
          {spec.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const rule = { integer: spec.integer, min: spec.min, nonZero: spec.nonZero };
  const value = typeof given === 'number' ? given : (spec.default ?? undefined);
  if (spec.default === null) {
    return <OptionalNumberField label={spec.label} title={spec.description} placeholder="auto" {...rule} value={value} onChange={set} />;
  }
  return <NumberField label={spec.label} title={spec.description} {...rule} value={value ?? spec.default} onChange={set} />;
}
