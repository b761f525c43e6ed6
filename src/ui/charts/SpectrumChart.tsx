// The input-output Jacobian spectrum per run: the non-zero singular values sorted on a
// log axis with the isometry line sigma = 1, a histogram on log-spaced bins shared by
// all runs, per run its rank (threshold, zeros counted), max |sigma - 1|, condition
// number and, when stride explains a low rank, why; the BatchNorm mode's meaning; and
// each run's reach map. e2e tests read the data attributes.
import { memo, useMemo, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import type { SpectrumRecord } from '../../lab';
import type { SeriesStyle } from './chartColors';
import { alignRows, formatNumber, logDomain, rowsToCsv } from './chartData';
import { ChartFrame } from './ChartFrame';
import { numericXAxis } from './chartSeries';
import { AXIS_TICK, GRID_STROKE, MARGIN, NO_ANIMATION, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { sharedLogHistogram } from './diagnosticData';
import { bnModeNote, rankReason, spectrumStatsText } from './diagnosticText';
import { ReachMap } from './ReachMap';

export interface SpectrumChartProps {
  /** In run order. */
  spectra: readonly SpectrumRecord[];
  styles: readonly SeriesStyle[];
  /** The BatchNorm-mode switch, shown when a run has BatchNorm. */
  controls?: ReactNode;
}

const BINS = 40;

function stepText(spectra: readonly SpectrumRecord[]): string {
  const steps = [...new Set(spectra.map((s) => s.step))];
  if (steps.length !== 1) return `at steps ${steps.join(', ')}`;
  return steps[0] === 0 ? 'at initialisation' : `at step ${steps[0]}`;
}

function mapText(spectra: readonly SpectrumRecord[]): string {
  const s = spectra[0];
  if (!s) return '';
  const from = s.from === 'stem' ? 'stem output' : 'input';
  const to = s.target === 'features' ? 'last block' : `end of ${s.target}`;
  return ` (${from} → ${to}, ${s.probeSize}×${s.probeSize} probe)`;
}

export const SpectrumChart = memo(function SpectrumChart({ spectra, styles, controls }: SpectrumChartProps) {
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const sigmaRows = useMemo(
    () =>
      alignRows(
        spectra.map((s, i) => ({
          xs: s.singularValues.slice(0, s.rank).map((_, k) => k + 1),
          cols: { [`v${i}`]: s.singularValues.slice(0, s.rank) },
          pick: `v${i}`,
        })),
        800,
      ),
    [spectra],
  );
  const sigmaDomain = useMemo(() => logDomain([1, ...spectra.flatMap((s) => s.singularValues.slice(0, s.rank))]) ?? [0.1, 10], [spectra]);
  const hist = useMemo(
    () =>
      sharedLogHistogram(
        spectra.map((s) => s.singularValues.slice(0, s.rank)),
        BINS,
      ),
    [spectra],
  );
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
      [
        { key: 'run', header: 'run' },
        { key: 'step', header: 'step' },
        { key: 'index', header: 'index' },
        { key: 'sigma', header: 'singular value' },
      ],
    );
  const lines = (prefix: string, type: 'linear' | 'stepAfter') =>
    spectra.map((s, i) => (
      <Line
        key={`${prefix}${i}`}
        type={type}
        dataKey={`${prefix}${i}`}
        name={labelOf(s)}
        stroke={style.get(s.runKey)?.color ?? '#888'}
        strokeWidth={1.6}
        dot={false}
        connectNulls
        {...NO_ANIMATION}
      />
    ));

  return (
    <ChartFrame
      id="spectrum"
      title={`Jacobian spectrum${mapText(spectra)} ${spectra.length ? stepText(spectra) : ''}`.trim()}
      legend={legend}
      empty={empty}
      csv={csv}
      exportNotes={() => [...spectra.map((s) => `${labelOf(s)}: ${spectrumStatsText(s)}`), bnModeNote(spectra) ?? '']}
      controls={controls}
      wide
    >
      {bnModeNote(spectra) && (
        <p className="chart-note" data-testid="spectrum-bn-note">
          {bnModeNote(spectra)}
        </p>
      )}
      <div className="chart-pair">
        <figure>
          <figcaption>Non-zero singular values, sorted</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <LineChart data={sigmaRows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              {numericXAxis()}
              <YAxis
                width={Y_AXIS_WIDTH}
                tick={AXIS_TICK}
                scale="log"
                domain={sigmaDomain}
                allowDataOverflow
                tickFormatter={(v: number) => formatNumber(v)}
              />
              <ReferenceLine
                y={1}
                stroke="#333"
                strokeDasharray="4 3"
                label={{ value: 'σ = 1', fontSize: 10, position: 'insideBottomLeft' }}
              />
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
              {numericXAxis({ ticks: histTicks, tickFormatter: (v: number) => formatNumber(10 ** v, 2) })}
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
          <li
            key={s.runKey}
            data-testid={`spectrum-stats-${s.runKey}`}
            data-max-dev={String(s.maxAbsDeviation)}
            data-rank={s.rank}
            data-zeros={s.zeros}
            data-sigma-max={String(s.singularValues[0] ?? NaN)}
            data-bn-stats={s.bnStats}
            data-condition={String(s.condition)}
          >
            <span className="chart-swatch" style={{ background: style.get(s.runKey)?.color ?? '#888' }} />
            <strong>{labelOf(s)}</strong> {spectrumStatsText(s)}
            {rankReason(s) && (
              <p className="chart-note" data-testid={`rank-reason-${s.runKey}`}>
                {rankReason(s)}
              </p>
            )}
          </li>
        ))}
      </ul>
      <figure className="reach-maps">
        <figcaption>Reach: how much each input pixel moves the features (column norms of J)</figcaption>
        <div className="reach-map-row">
          {spectra.map((s) => (
            <ReachMap key={s.runKey} record={s} label={labelOf(s)} color={style.get(s.runKey)?.color ?? '#888'} />
          ))}
        </div>
      </figure>
    </ChartFrame>
  );
});
