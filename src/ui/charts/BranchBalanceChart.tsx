// Branch balance per block: |a_res F(x)| / |a_skip S(x)| over a batch (mean with a
// min-max band). 0 means the block is the identity (Fixup, SkipInit at init: the bias
// toward the skip); order 1 means the residual branch and the skip are balanced.
import { memo, useMemo, useState, type ReactNode } from 'react';
import { CartesianGrid, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SignalRecord } from '../../lab';
import { bandRows } from './bandRows';
import type { SeriesStyle } from './chartColors';
import { formatNumber, rowsToCsv } from './chartData';
import { ChartToggle } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { bandArea, dottedLine } from './chartSeries';
import { AXIS_TICK, GRID_STROKE, MARGIN, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { shortLabel } from './SignalChart';

export const BranchBalanceChart = memo(function BranchBalanceChart(props: {
  signals: readonly SignalRecord[];
  styles: readonly SeriesStyle[];
  controls?: ReactNode;
}) {
  const { signals, styles, controls } = props;
  const [bands, setBands] = useState(true);
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const rows = useMemo(
    () => bandRows([{ prefix: 'r', points: signals.map((s) => s.balance.map((b) => ({ x: b.block, band: b.ratio }))) }]),
    [signals],
  );
  const labels = useMemo(() => new Map(signals.flatMap((s) => s.balance.map((b) => [b.block, b.name] as const))), [signals]);
  const ticks = useMemo(() => (labels.size <= 16 ? [...labels.keys()].sort((a, b) => a - b) : undefined), [labels]);
  const colorOf = (key: string) => style.get(key)?.color ?? '#888';
  const labelOf = (key: string) => style.get(key)?.label ?? key;
  const steps = [...new Set(signals.map((s) => s.step))];
  const title =
    `Branch balance |a_res F(x)| / |a_skip S(x)| ${steps.length === 1 ? (steps[0] === 0 ? 'at initialisation' : `at step ${steps[0]}`) : ''}`.trim();
  const csv = () =>
    rowsToCsv(
      signals.flatMap((s) =>
        s.balance.map((b) => ({
          run: s.runKey,
          step: s.step,
          bnStats: s.bnStats,
          block: b.block,
          label: b.name,
          mean: b.ratio.mean,
          min: b.ratio.min,
          max: b.ratio.max,
        })),
      ),
      ['run', 'step', 'bnStats', 'block', 'label', 'mean', 'min', 'max'].map((k) => ({ key: k, header: k })),
    );
  return (
    <ChartFrame
      id="balance"
      title={title}
      legend={signals.map((s) => style.get(s.runKey) ?? { key: s.runKey, label: s.runKey, color: '#888' })}
      empty={signals.length === 0 ? 'No branch balance yet: it is measured with signal propagation.' : undefined}
      csv={csv}
      controls={
        <>
          {controls}
          <ChartToggle label="min-max bands" checked={bands} onChange={setBands} />
        </>
      }
    >
      <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
        <ComposedChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke={GRID_STROKE} />
          <XAxis
            dataKey="x"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            ticks={ticks}
            interval={0}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => shortLabel(labels.get(v) ?? String(v))}
          />
          <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} domain={[0, 'auto']} tickFormatter={(v: number) => formatNumber(v, 2)} />
          <ReferenceLine y={1} stroke="#333" strokeDasharray="4 3" label={{ value: 'balanced', fontSize: 10, position: 'insideTopLeft' }} />
          <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => labels.get(Number(x)) ?? `block ${x}`} />
          {signals.flatMap((s, i) => [
            ...(bands ? [bandArea(`r${i}band`, colorOf(s.runKey), 0.12)] : []),
            dottedLine(`r${i}`, labelOf(s.runKey), colorOf(s.runKey)),
          ])}
        </ComposedChart>
      </ResponsiveContainer>
      <ul className="chart-stats">
        {signals.map((s) => {
          const mean = s.balance.length ? s.balance.reduce((a, b) => a + b.ratio.mean, 0) / s.balance.length : NaN;
          return (
            <li key={s.runKey} data-testid={`balance-stats-${s.runKey}`} data-mean-ratio={String(mean)}>
              <span className="chart-swatch" style={{ background: colorOf(s.runKey) }} />
              <strong>{labelOf(s.runKey)}</strong> mean over blocks {formatNumber(mean, 3)}
            </li>
          );
        })}
      </ul>
    </ChartFrame>
  );
});
