// The diagnostics through training: at every diagnostic step, per run, one summary
// number (sigma_max, max |sigma - 1|, mean branch balance, or the last block's q or
// cosine) in the chosen BatchNorm mode, as a line over steps; a run over several seeds
// as the mean of its seeds' values.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SignalRecord, SpectrumRecord } from '../../lab/diagnostics';
import type { SeriesStyle } from './chartColors';
import { alignRows, formatNumber, rowsToCsv } from './chartData';
import { ChartChoice } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { recordsForMode } from './diagnosticData';
import { runKeyOf } from '../../lab/seeds';

type Metric = 'sigmaMax' | 'maxDev' | 'balance' | 'lastQ' | 'lastCosine';

const METRICS: readonly { value: Metric; label: string; log: boolean }[] = [
  { value: 'sigmaMax', label: 'σ_max', log: true },
  { value: 'maxDev', label: 'max |σ − 1|', log: true },
  { value: 'balance', label: 'mean branch balance', log: false },
  { value: 'lastQ', label: 'last block q', log: true },
  { value: 'lastCosine', label: 'last block cosine', log: false },
];

function valueOf(metric: Metric, sp: SpectrumRecord | undefined, sig: SignalRecord | undefined): number | undefined {
  if (metric === 'sigmaMax') return sp?.singularValues[0];
  if (metric === 'maxDev') return sp?.maxAbsDeviation;
  if (!sig) return undefined;
  const last = sig.layers[sig.layers.length - 1];
  if (metric === 'lastQ') return last?.q.mean;
  if (metric === 'lastCosine') return last?.cosine.mean;
  return sig.balance.length ? sig.balance.reduce((a, b) => a + b.ratio.mean, 0) / sig.balance.length : undefined;
}

export const DiagnosticHistoryChart = memo(function DiagnosticHistoryChart(props: {
  spectra: readonly SpectrumRecord[];
  signals: readonly SignalRecord[];
  mode: string;
  styles: readonly SeriesStyle[];
}) {
  const { spectra, signals, mode, styles } = props;
  const [metric, setMetric] = useState<Metric>('sigmaMax');
  const steps = useMemo(() => [...new Set([...spectra, ...signals].map((r) => r.step))].sort((a, b) => a - b), [spectra, signals]);
  const perRun = useMemo(() => {
    const runKeys = styles.map((s) => s.key);
    const out = new Map<string, { step: number; value: number }[]>();
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    for (const step of steps) {
      const sp = recordsForMode(
        spectra.filter((r) => r.step === step),
        mode,
        runKeys,
      );
      const sg = recordsForMode(
        signals.filter((r) => r.step === step),
        mode,
        runKeys,
      );
      // Per run, its seeds' values at this step (a later seed's key names its run).
      const bySeed = new Map<string, number[]>();
      for (const key of new Set([...sp, ...sg].map((r) => r.runKey))) {
        const v = valueOf(
          metric,
          sp.find((r) => r.runKey === key),
          sg.find((r) => r.runKey === key),
        );
        if (v !== undefined && Number.isFinite(v)) bySeed.set(runKeyOf(key), [...(bySeed.get(runKeyOf(key)) ?? []), v]);
      }
      for (const [key, values] of bySeed) out.set(key, [...(out.get(key) ?? []), { step, value: mean(values) }]);
    }
    return out;
  }, [spectra, signals, mode, metric, steps, styles]);
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
    steps.length < 2
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
