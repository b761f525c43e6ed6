// The diagnostics through training: at every diagnostic step, per run, one summary
// number (sigma_max, sigma_min, max |sigma - 1|, rank, mean branch balance, or the last
// block's q or cosine) in the chosen BatchNorm mode, as a line over steps; a run over
// several seeds as the mean of its seeds' values. It reads the runs' histories
// (src/lab/runHistory.ts), so imported runs draw the same lines.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DiagnosticPoint, RunState } from '../../lab';
import { dashOf, type SeriesStyle } from './chartColors';
import { alignRows, formatNumber, rowsToCsv } from './chartData';
import { ChartChoice } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { runKeyOf } from '../../lab';

type Metric = 'sigmaMax' | 'sigmaMin' | 'maxAbsDev' | 'rank' | 'balance' | 'lastQ' | 'lastCosine';

const METRICS: readonly { value: Metric; label: string; log: boolean }[] = [
  { value: 'sigmaMax', label: 'σ_max', log: true },
  { value: 'sigmaMin', label: 'σ_min (non-zero)', log: true },
  { value: 'maxAbsDev', label: 'max |σ − 1|', log: true },
  { value: 'rank', label: 'numerical rank', log: false },
  { value: 'balance', label: 'mean branch balance', log: false },
  { value: 'lastQ', label: 'last block q', log: true },
  { value: 'lastCosine', label: 'last block cosine', log: false },
];

/** Per step, the point in the chosen mode; a run without BatchNorm measured one mode only,
 * which serves either choice. */
function pointsForMode(points: readonly DiagnosticPoint[], mode: string): DiagnosticPoint[] {
  const byStep = new Map<number, DiagnosticPoint>();
  for (const p of points) if (!byStep.has(p.step) || p.bnStats === mode) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export const DiagnosticHistoryChart = memo(function DiagnosticHistoryChart(props: {
  runs: readonly RunState[];
  mode: string;
  styles: readonly SeriesStyle[];
}) {
  const { runs, mode, styles } = props;
  const [metric, setMetric] = useState<Metric>('sigmaMax');
  const perRun = useMemo(() => {
    const out = new Map<string, { step: number; value: number }[]>();
    // Per run (a later seed's key names its run) and step, its seeds' values.
    const bySeed = new Map<string, Map<number, number[]>>();
    for (const r of runs) {
      const at = bySeed.get(runKeyOf(r.key)) ?? new Map<number, number[]>();
      for (const p of pointsForMode(r.history?.diagnostics ?? [], mode)) {
        const v = p[metric];
        if (Number.isFinite(v)) at.set(p.step, [...(at.get(p.step) ?? []), v]);
      }
      bySeed.set(runKeyOf(r.key), at);
    }
    for (const [key, at] of bySeed) {
      const points = [...at]
        .sort(([a], [b]) => a - b)
        .map(([step, values]) => ({ step, value: values.reduce((s, v) => s + v, 0) / values.length }));
      if (points.length) out.set(key, points);
    }
    return out;
  }, [runs, mode, metric]);
  const steps = new Set([...perRun.values()].flatMap((ps) => ps.map((p) => p.step)));
  const keys = [...perRun.keys()];
  const rows = useMemo(
    () =>
      alignRows(
        [...perRun.values()].map((points, i) => ({
          xs: points.map((p) => p.step),
          cols: { [`m${i}`]: points.map((p) => p.value) },
          pick: `m${i}`,
        })),
        2000,
      ),
    [perRun],
  );
  const style = new Map(styles.map((s) => [s.key, s]));
  const spec = METRICS.find((m) => m.value === metric)!;
  const empty =
    steps.size < 2
      ? 'Diagnostics measured at one step so far: list more diagnostic steps in the experiment to follow them through training.'
      : undefined;
  const csv = () =>
    rowsToCsv(
      keys.flatMap((k) => perRun.get(k)!.map((p) => ({ run: k, step: p.step, [metric]: p.value }))),
      [
        { key: 'run', header: 'run' },
        { key: 'step', header: 'step' },
        { key: metric, header: spec.label },
      ],
    );
  return (
    <ChartFrame
      id="diagnostic-history"
      title="Diagnostics through training"
      legend={keys.map((k) => style.get(k) ?? { key: k, label: k, color: '#888' })}
      empty={empty}
      csv={csv}
      controls={
        <ChartChoice<Metric> label="Show" value={metric} options={METRICS} onChange={(v) => setMetric(v)} testId="history-metric" />
      }
    >
      <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
        <LineChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke={GRID_STROKE} />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} allowDecimals={false} />
          <YAxis
            width={Y_AXIS_WIDTH}
            tick={AXIS_TICK}
            scale={spec.log ? 'log' : 'auto'}
            domain={['auto', 'auto']}
            allowDataOverflow={spec.log}
            tickFormatter={(v: number) => formatNumber(v, 2)}
          />
          <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `step ${x}`} />
          {keys.map((k, i) => (
            <Line
              key={k}
              dataKey={`m${i}`}
              name={style.get(k)?.label ?? k}
              stroke={style.get(k)?.color ?? '#888'}
              strokeDasharray={dashOf(style.get(k))}
              strokeWidth={1.6}
              dot={{ r: 2 }}
              connectNulls
              {...NO_ANIMATION}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
