// Signal propagation per run: the output norm after the stem and each block (log y,
// explosion shows as a straight climb) and the cosine similarity of two inputs' outputs
// (collapse toward 1 means the network stops telling inputs apart), vs block index.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SignalRecord } from '../../lab/diagnostics';
import type { SeriesStyle } from './chartColors';
import { alignRows, formatNumber, logDomain, rowsToCsv } from './chartData';
import { ChartToggle } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';

export interface SignalChartProps {
  /** In run order. */
  signals: readonly SignalRecord[];
  styles: readonly SeriesStyle[];
}

/** "stage2.block1" -> "2.1": block labels are long for a tick. */
function shortLabel(label: string): string {
  const m = /^stage(\d+)\.block(\d+)$/.exec(label);
  return m ? `${m[1]}.${m[2]}` : label;
}

export const SignalChart = memo(function SignalChart({ signals, styles }: SignalChartProps) {
  const [logY, setLogY] = useState(true);
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const rows = useMemo(
    () =>
      alignRows(
        signals.map((s, i) => ({
          xs: s.blocks.map((b) => b.block),
          cols: { [`n${i}`]: s.blocks.map((b) => b.normA), [`c${i}`]: s.blocks.map((b) => b.cosine) },
          pick: `n${i}`,
        })),
        10_000,
      ),
    [signals],
  );
  const labels = useMemo(() => new Map(signals.flatMap((s) => s.blocks.map((b) => [b.block, b.label] as const))), [signals]);
  // Every block gets a tick while they fit; deeper nets let recharts thin them out.
  const ticks = useMemo(() => (labels.size <= 16 ? [...labels.keys()].sort((a, b) => a - b) : undefined), [labels]);
  const normDomain = useMemo(() => (logY ? logDomain(signals.flatMap((s) => s.blocks.map((b) => b.normA))) : undefined), [signals, logY]);
  const minCos = Math.min(0, ...signals.flatMap((s) => s.blocks.map((b) => b.cosine)).filter(Number.isFinite));

  const empty = signals.length === 0 ? 'No signal measurement yet: it is taken when the runs start.' : undefined;
  const legend = signals.map((s) => style.get(s.runKey) ?? { key: s.runKey, label: s.runKey, color: '#888' });
  const labelOf = (key: string) => style.get(key)?.label ?? key;
  const csv = () =>
    rowsToCsv(
      signals.flatMap((s) => s.blocks.map((b) => ({ run: s.runKey, step: s.step, block: b.block, label: b.label, normA: b.normA, normB: b.normB, cosine: b.cosine }))),
      ['run', 'step', 'block', 'label', 'normA', 'normB', 'cosine'].map((k) => ({ key: k, header: k })),
    );
  const xAxis = (
    <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} ticks={ticks} interval={0} tick={AXIS_TICK} tickFormatter={(v: number) => shortLabel(labels.get(v) ?? String(v))} />
  );
  const tooltip = <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => labels.get(Number(x)) ?? `block ${x}`} />;
  const lines = (prefix: string) =>
    signals.map((s, i) => (
      <Line key={`${prefix}${i}`} dataKey={`${prefix}${i}`} name={labelOf(s.runKey)} stroke={style.get(s.runKey)?.color ?? '#888'} strokeWidth={1.6} dot={{ r: 2 }} connectNulls {...NO_ANIMATION} />
    ));

  return (
    <ChartFrame
      id="signal"
      title="Signal propagation through depth"
      legend={legend}
      empty={empty}
      csv={csv}
      wide
      controls={<ChartToggle label="log norm" checked={logY} onChange={setLogY} />}
    >
      <div className="chart-pair">
        <figure>
          <figcaption>Output norm ‖f(a)‖ after each block</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              {xAxis}
              <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} scale={logY ? 'log' : 'auto'} domain={normDomain ?? ['auto', 'auto']} allowDataOverflow={logY} tickFormatter={(v: number) => formatNumber(v)} />
              {tooltip}
              {lines('n')}
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>Cosine similarity of two inputs' outputs</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              {xAxis}
              <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} domain={[minCos, 1]} tickFormatter={(v: number) => formatNumber(v, 2)} />
              {signals[0] && Number.isFinite(signals[0].inputCosine) && (
                <ReferenceLine y={signals[0].inputCosine} stroke="#333" strokeDasharray="4 3" label={{ value: 'inputs', fontSize: 10, position: 'insideBottomRight' }} />
              )}
              {tooltip}
              {lines('c')}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </ChartFrame>
  );
});
