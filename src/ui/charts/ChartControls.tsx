// Small labelled inputs for chart options (toggles, the smoothing slider); plain
// controlled inputs so tests and keyboard users can drive them.

export function ChartToggle(props: { label: string; checked: boolean; onChange(v: boolean): void; testId?: string }) {
  return (
    <label className="chart-toggle">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testId} />
      {props.label}
    </label>
  );
}

export function ChartChoice<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(v: T): void;
  testId?: string;
}) {
  return (
    <label className="chart-toggle">
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T)} data-testid={props.testId}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ChartSlider(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(v: number): void;
  testId?: string;
}) {
  return (
    <label className="chart-toggle">
      {props.label}
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
      />
      <output>{props.value.toFixed(2)}</output>
    </label>
  );
}
