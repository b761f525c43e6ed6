// The learnable a_res / a_skip of every run over the steps: one line per scalar in its
// run's colour (a shade per block), read back with the metrics.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunState } from '../../lab';
import { dashOf, shadeOf, type SeriesStyle } from './chartColors';
import { alignRows, formatNumber, rowsToCsv } from './chartData';
import { ChartChoice } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';

type Which = 'aRes' | 'aSkip' | 'both';

const WHICH: readonly { value: Which; label: string }[] = [
  { value: 'both', label: 'a_res and a_skip' },
  { value: 'aRes', label: 'a_res' },
  { value: 'aSkip', label: 'a_skip' },
];

interface Series {
  id: string;
  run: RunState;
  name: string;
  k: number;
  steps: number[];
  values: number[];
}

export const ScalarTrajectoryChart = memo(function ScalarTrajectoryChart({
  runs,
  styles,
}: {
  runs: readonly RunState[];
  styles: readonly SeriesStyle[];
}) {
  const [which, setWhich] = useState<Which>('both');
  const series = useMemo(() => {
    const out: Series[] = [];
    for (const run of runs) {
      const h = run.history;
      if (!h || h.scalars.steps.length === 0) continue;
      h.scalarNames.forEach((name, i) => {
        if (which !== 'both' && !name.endsWith(`.${which}`)) return;
        out.push({ id: `s${out.length}`, run, name, k: i, steps: h.scalars.steps, values: h.scalars.rows.map((r) => r[i]) });
      });
    }
    return out;
  }, [runs, which]);
  const rows = useMemo(
    () =>
      alignRows(
        series.map((s) => ({ xs: s.steps, cols: { [s.id]: Float64Array.from(s.values) }, pick: s.id })),
        1000,
      ),
    [series],
  );
  const style = new Map(styles.map((s) => [s.key, s]));
  const withScalars = runs.filter((r) => (r.history?.scalarNames.length ?? 0) > 0);
  const empty =
    withScalars.length === 0
      ? 'No learnable a_res / a_skip: make them learnable in a run\u2019s model settings to follow them here.'
      : series.length === 0
        ? 'No values yet: they appear after the first steps.'
        : undefined;
  const legend = withScalars.map((r) => style.get(r.key) ?? { key: r.key, label: r.label, color: '#888' });
  const csv = () =>
    rowsToCsv(
      series.flatMap((s) => s.steps.map((step, j) => ({ run: s.run.key, scalar: s.name, step, value: s.values[j] }))),
      ['run', 'scalar', 'step', 'value'].map((key) => ({ key, header: key })),
    );
  return (
    <ChartFrame
      id="scalar-trajectories"
      title="Learnable a_res / a_skip"
      legend={legend}
      empty={empty}
      csv={csv}
      controls={<ChartChoice<Which> label="Show" value={which} options={WHICH} onChange={setWhich} testId="scalar-choice" />}
    >
      <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
        <LineChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke={GRID_STROKE} />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} allowDecimals={false} />
          <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} domain={['auto', 'auto']} tickFormatter={(v: number) => formatNumber(v, 3)} />
          <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `step ${x}`} />
          {series.map((s) => {
            const st = style.get(s.run.key);
            return (
              <Line
                key={s.id}
                dataKey={s.id}
                name={`${st?.label ?? s.run.label} ${s.name}`}
                stroke={shadeOf(st?.color ?? '#888888', s.k)}
                strokeDasharray={dashOf(st)}
                strokeWidth={1.4}
                dot={false}
                connectNulls
                {...NO_ANIMATION}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
