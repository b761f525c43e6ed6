// The input-output Jacobian spectrum per run: sorted singular values on a log axis
// with the isometry line sigma = 1, a histogram on log-spaced bins shared by all runs,
// and per run its rank, max |sigma - 1| and condition number (e2e tests read those).
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpectrumRecord } from '../../lab/diagnostics';
import type { SeriesStyle } from './chartColors';
import { alignRows, formatNumber, logDomain, rowsToCsv } from './chartData';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { sharedLogHistogram } from './diagnosticData';

export interface SpectrumChartProps {
  /** In run order. */
  spectra: readonly SpectrumRecord[];
  styles: readonly SeriesStyle[];
}

const BINS = 40;

export function spectrumStatsText(s: SpectrumRecord): string {
  return `rank ${s.rank}/${Math.min(s.rows, s.cols)} · max|σ−1| = ${formatNumber(s.maxAbsDeviation, 2)} · cond = ${formatNumber(s.condition)}`;
}

function stepText(spectra: readonly SpectrumRecord[]): string {
  const steps = [...new Set(spectra.map((s) => s.step))];
  if (steps.length !== 1) return `at steps ${steps.join(', ')}`;
  return steps[0] === 0 ? 'at initialisation' : `at step ${steps[0]}`;
}

export const SpectrumChart = memo(function SpectrumChart({ spectra, styles }: SpectrumChartProps) {
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const sigmaRows = useMemo(
    () => alignRows(spectra.map((s, i) => ({ xs: s.singularValues.map((_, k) => k + 1), cols: { [`v${i}`]: s.singularValues.map((v) => (v > 0 ? v : NaN)) }, pick: `v${i}` })), 800),
    [spectra],
  );
  const sigmaDomain = useMemo(() => logDomain([1, ...spectra.flatMap((s) => s.singularValues)]) ?? [0.1, 10], [spectra]);
  const hist = useMemo(() => sharedLogHistogram(spectra.map((s) => s.singularValues.slice(0, s.rank)), BINS), [spectra]);
  const histRows = useMemo(
    () =>
      hist.edges.map((e, k) => {
        const row: Record<string, number> = { x: Math.log10(e) };
        hist.counts.forEach((c, i) => (row[`h${i}`] = c[Math.min(k, c.length - 1)]));
        return row;
      }),
    [hist],
  );
  const histTicks = useMemo(() => {
    const [a, b] = [histRows[0]?.x ?? -1, histRows[histRows.length - 1]?.x ?? 1];
    // Whole decades read best; a narrow range gets five evenly spaced ticks instead.
    const decades = Array.from({ length: Math.max(0, Math.floor(b) - Math.ceil(a) + 1) }, (_, k) => Math.ceil(a) + k);
    return decades.length >= 3 ? decades : Array.from({ length: 5 }, (_, k) => a + ((b - a) * k) / 4);
  }, [histRows]);

  const empty = spectra.length === 0 ? 'No spectrum yet: it is measured when the runs start.' : undefined;
  const legend = spectra.map((s) => style.get(s.runKey) ?? { key: s.runKey, label: s.runKey, color: '#888' });
  const labelOf = (s: SpectrumRecord) => style.get(s.runKey)?.label ?? s.runKey;
  const csv = () =>
    rowsToCsv(
      spectra.flatMap((s) => s.singularValues.map((v, k) => ({ run: s.runKey, step: s.step, index: k + 1, sigma: v }))),
      [{ key: 'run', header: 'run' }, { key: 'step', header: 'step' }, { key: 'index', header: 'index' }, { key: 'sigma', header: 'singular value' }],
    );
  const lines = (prefix: string, type: 'linear' | 'stepAfter') =>
    spectra.map((s, i) => (
      <Line key={`${prefix}${i}`} type={type} dataKey={`${prefix}${i}`} name={labelOf(s)} stroke={style.get(s.runKey)?.color ?? '#888'} strokeWidth={1.6} dot={false} connectNulls {...NO_ANIMATION} />
    ));

  return (
    <ChartFrame
      id="spectrum"
      title={`Jacobian spectrum ${spectra.length ? stepText(spectra) : ''}`.trim()}
      legend={legend}
      empty={empty}
      csv={csv}
      exportNotes={() => spectra.map((s) => `${labelOf(s)}: ${spectrumStatsText(s)}`)}
      wide
    >
      <div className="chart-pair">
        <figure>
          <figcaption>Singular values, sorted</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <LineChart data={sigmaRows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} tickFormatter={(v: number) => formatNumber(v)} />
              <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} scale="log" domain={sigmaDomain} allowDataOverflow tickFormatter={(v: number) => formatNumber(v)} />
              <ReferenceLine y={1} stroke="#333" strokeDasharray="4 3" label={{ value: 'σ = 1', fontSize: 10, position: 'insideBottomLeft' }} />
              <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `index ${x}`} />
              {lines('v', 'linear')}
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>Histogram (log-spaced bins)</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <LineChart data={histRows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} ticks={histTicks} tick={AXIS_TICK} tickFormatter={(v: number) => formatNumber(10 ** v, 2)} />
              <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} allowDecimals={false} />
              <ReferenceLine x={0} stroke="#333" strokeDasharray="4 3" />
              <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `σ ≥ ${formatNumber(10 ** Number(x), 3)}`} />
              {lines('h', 'stepAfter')}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <ul className="chart-stats">
        {spectra.map((s) => (
          <li key={s.runKey} data-testid={`spectrum-stats-${s.runKey}`} data-max-dev={String(s.maxAbsDeviation)} data-rank={s.rank} data-condition={String(s.condition)}>
            <span className="chart-swatch" style={{ background: style.get(s.runKey)?.color ?? '#888' }} />
            <strong>{labelOf(s)}</strong> {spectrumStatsText(s)}
          </li>
        ))}
      </ul>
    </ChartFrame>
  );
});
