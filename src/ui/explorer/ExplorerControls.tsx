// The init explorer's settings (the sidebar while its tab is open): sliders for depth,
// width, a_res and a_skip (ranges from the lab's STAGE_FIELDS), the seed, BatchNorm and
// the schemes; the measuring progress; and the depth sweep's own settings and button.
import { INIT_SCHEME_IDS, INIT_SCHEMES, STAGE_FIELDS, type NumberField } from '../../lab';
import { schemeColor } from '../charts/chartColors';
import { useLabActions } from '../labContext';
import { useExplorerStore } from './explorerStore';

type SliderKey = 'depth' | 'width' | 'aRes' | 'aSkip';

function Slider({ k }: { k: SliderKey }) {
  const f: NumberField = STAGE_FIELDS[k];
  const value = useExplorerStore((s) => s.settings[k]);
  const setSettings = useExplorerStore((s) => s.setSettings);
  // a_res / a_skip pass through 0, which the construction divides by: step over it.
  const set = (v: number) => setSettings((s) => ({ ...s, [k]: f.nonZero && v === 0 ? (value > 0 ? -f.step : f.step) : v }));
  return (
    <label className="explorer-slider">
      <span>{f.label}</span>
      <input
        type="range"
        min={f.min}
        max={f.max}
        step={f.step}
        value={value}
        onChange={(e) => set(Number(e.target.value))}
        data-testid={`explore-${k}`}
        aria-label={f.label}
      />
      <output data-testid={`explore-${k}-value`}>{f.integer ? value : value.toFixed(1)}</output>
    </label>
  );
}

function Progress({ progress, testId, label }: { progress?: { done: number; total: number }; testId: string; label: string }) {
  if (!progress) return null;
  return (
    <p className="explorer-progress" data-testid={testId} role="status">
      {label} <progress max={progress.total} value={progress.done} /> {progress.done}/{progress.total}
    </p>
  );
}

function SweepControls() {
  const actions = useLabActions();
  const sweep = useExplorerStore((s) => s.sweep);
  const setSweep = useExplorerStore((s) => s.setSweep);
  const depths = Array.from({ length: Math.log2(STAGE_FIELDS.depth.max) + 1 }, (_, i) => 2 ** i);
  return (
    <fieldset className="group">
      <legend>Depth sweep</legend>
      <p className="hint">
        D = 1, 2, 4, ... up to the largest depth, each scheme over several seeds (from the seed above); plotted against D with a min-max
        band over the seeds.
      </p>
      <label className="field">
        Largest depth
        <select value={sweep.maxDepth} onChange={(e) => setSweep({ maxDepth: Number(e.target.value) })} data-testid="sweep-max-depth">
          {depths.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Seeds
        <input
          type="number"
          min={1}
          max={10}
          value={sweep.seeds}
          onChange={(e) => setSweep({ seeds: Math.min(10, Math.max(1, Math.round(Number(e.target.value) || 1))) })}
          data-testid="sweep-seeds"
        />
      </label>
      <div className="button-row">
        <button type="button" onClick={() => void actions.explorer.sweep()} disabled={!!sweep.progress}>
          Depth sweep
        </button>
        {sweep.progress ? (
          <button type="button" onClick={() => actions.explorer.cancelSweep()}>
            Stop sweep
          </button>
        ) : null}
      </div>
      <Progress progress={sweep.progress} testId="sweep-progress" label="Sweeping" />
      {sweep.error ? (
        <p className="scheme-problem" role="status">
          {sweep.error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function ExplorerControls() {
  const settings = useExplorerStore((s) => s.settings);
  const setSettings = useExplorerStore((s) => s.setSettings);
  const progress = useExplorerStore((s) => s.progress);
  const toggle = (id: (typeof INIT_SCHEME_IDS)[number], on: boolean) =>
    setSettings((s) => ({
      ...s,
      schemes: on ? INIT_SCHEME_IDS.filter((x) => x === id || s.schemes.includes(x)) : s.schemes.filter((x) => x !== id),
    }));
  return (
    <div className="experiment-panel explorer-controls" data-testid="explorer-controls">
      <h2>Init explorer</h2>
      <p className="hint">
        No training: a stem and one stride-1 stage of Type B blocks, freshly initialised, probed with 8×8 Gaussian noise. Every change
        re-measures.
      </p>
      <fieldset className="group">
        <legend>Network</legend>
        <Slider k="depth" />
        <Slider k="width" />
        <Slider k="aRes" />
        <Slider k="aSkip" />
        <p className="hint">a_res / a_skip set the schemes whose construction takes them (Risotto); the others fix their own.</p>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.batchNorm}
            onChange={(e) => setSettings((s) => ({ ...s, batchNorm: e.target.checked }))}
            data-testid="explore-bn"
          />
          BatchNorm (batch statistics of a reference batch; Fixup and SkipInit have none)
        </label>
        <label className="field">
          Seed
          <input
            type="number"
            min={0}
            value={settings.seed}
            onChange={(e) => setSettings((s) => ({ ...s, seed: Math.max(0, Math.round(Number(e.target.value) || 0)) }))}
            data-testid="explore-seed"
          />
        </label>
      </fieldset>
      <fieldset className="group schemes">
        <legend>Schemes</legend>
        {INIT_SCHEME_IDS.map((id) => (
          <label key={id} className="check" title={INIT_SCHEMES[id].description}>
            <input
              type="checkbox"
              checked={settings.schemes.includes(id)}
              onChange={(e) => toggle(id, e.target.checked)}
              data-testid={`explore-scheme-${id}`}
            />
            <span className="swatch" style={{ background: schemeColor(id) }} aria-hidden="true" />
            {INIT_SCHEMES[id].label}
          </label>
        ))}
      </fieldset>
      <Progress progress={progress} testId="explorer-progress" label="Measuring" />
      <SweepControls />
    </div>
  );
}
