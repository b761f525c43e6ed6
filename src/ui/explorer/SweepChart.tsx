// The depth sweep, the paper's figure live: sigma_max, max |sigma - 1|, the last block's
// q and its cosine (dashed: the looks-linear signal cosine) against the depth D on log
// axes, per scheme the mean over seeds with a min-max band. e2e tests read the data
// attributes of the per-scheme summary.
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sweepCsv, sweepPoints, type SweepQuantity, type SweepRow } from '../../lab';
import { bandRows } from '../charts/bandRows';
import type { SeriesStyle } from '../charts/chartColors';
import { formatNumber, logDomain } from '../charts/chartData';
import { ChartFrame } from '../charts/ChartFrame';
import { bandArea, dottedLine } from '../charts/chartSeries';
import { AXIS_TICK, GRID_STROKE, MARGIN, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from '../charts/chartTheme';

interface Panel {
  title: string;
  quantity: SweepQuantity;
  /** Drawn dashed on the same axes. */
  dashed?: SweepQuantity;
  log: boolean;
}

const PANELS: readonly Panel[] = [
  { title: 'σ_max of the Jacobian (image → end of the stage)', quantity: 'sigmaMax', log: true },
  { title: 'max |σ − 1|', quantity: 'maxAbsDeviation', log: true },
  { title: 'Last block: mean square per unit q', quantity: 'q', log: true },
  { title: 'Last block: cosine of the two inputs (dashed: signal d)', quantity: 'cosine', dashed: 'signalCosine', log: false },
];

export const SweepChart = memo(function SweepChart({ rows, styles }: { rows: readonly SweepRow[]; styles: readonly SeriesStyle[] }) {
  const points = useMemo(() => sweepPoints(rows), [rows]);
  const schemes = useMemo(() => [...new Set(points.map((p) => p.scheme))], [points]);
  const depths = useMemo(() => [...new Set(points.map((p) => p.depth))].sort((a, b) => a - b), [points]);
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const colorOf = (k: string) => style.get(k)?.color ?? '#888';
  const seeds = Math.max(0, ...points.map((p) => p.seeds));
  const legend = schemes.map((k) => style.get(k) ?? { key: k, label: k, color: '#888' });
  const empty = rows.length === 0 ? 'No sweep yet: press "Depth sweep".' : undefined;
  const panel = (p: Panel) => {
    const series = (q: SweepQuantity, prefix: string) => ({
      prefix,
      points: schemes.map((s) => points.filter((x) => x.scheme === s).map((x) => ({ x: x.depth, band: x.bands[q] }))),
    });
    const data = bandRows([series(p.quantity, 'v'), ...(p.dashed ? [series(p.dashed, 'd')] : [])]);
    const domain = p.log ? logDomain(points.flatMap((x) => [x.bands[p.quantity].min, x.bands[p.quantity].max])) : undefined;
    const lines = (prefix: string, dashed: boolean) =>
      schemes.flatMap((s, i) => [
        bandArea(`${prefix}${i}band`, colorOf(s), 0.14),
        dottedLine(`${prefix}${i}`, `${style.get(s)?.label ?? s}${dashed ? ' (signal d)' : ''}`, colorOf(s), dashed),
      ]);
    return (
      <figure key={p.quantity}>
        <figcaption>{p.title}</figcaption>
        <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
          <ComposedChart data={data} margin={MARGIN}>
            <CartesianGrid stroke={GRID_STROKE} />
            <XAxis
              dataKey="x"
              type="number"
              scale="log"
              domain={[depths[0] ?? 1, depths[depths.length - 1] ?? 2]}
              ticks={depths}
              tick={AXIS_TICK}
              allowDataOverflow
            />
            <YAxis
              width={Y_AXIS_WIDTH}
              tick={AXIS_TICK}
              scale={p.log ? 'log' : 'auto'}
              domain={domain ?? ['auto', 'auto']}
              allowDataOverflow={p.log}
              tickFormatter={(v: number) => formatNumber(v)}
            />
            <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `D = ${x}`} />
            {lines('v', false)}
            {p.dashed ? lines('d', true) : null}
          </ComposedChart>
        </ResponsiveContainer>
      </figure>
    );
  };
  const deepest = depths[depths.length - 1];
  return (
    <ChartFrame
      id="sweep"
      title={`Depth sweep at initialisation (D = ${depths.join(', ')}; ${seeds} seed${seeds === 1 ? '' : 's'}, band min to max)`}
      legend={legend}
      empty={empty}
      csv={() => sweepCsv(rows)}
      wide
    >
      <div className="chart-pair">{PANELS.slice(0, 2).map(panel)}</div>
      <div className="chart-pair">{PANELS.slice(2).map(panel)}</div>
      <ul className="chart-stats">
        {schemes.map((s) => {
          const at = points.filter((x) => x.scheme === s);
          const last = at.find((x) => x.depth === deepest);
          return (
            <li
              key={s}
              data-testid={`sweep-stats-${s}`}
              data-sigma-max={JSON.stringify(at.map((x) => x.bands.sigmaMax.mean))}
              data-max-dev={JSON.stringify(at.map((x) => x.bands.maxAbsDeviation.max))}
            >
              <span className="chart-swatch" style={{ background: colorOf(s) }} />
              <strong>{style.get(s)?.label ?? s}</strong> at D = {deepest}: σ_max {formatNumber(last?.bands.sigmaMax.mean)}, max |σ − 1|{' '}
              {formatNumber(last?.bands.maxAbsDeviation.max)}
            </li>
          );
        })}
      </ul>
    </ChartFrame>
  );
});
