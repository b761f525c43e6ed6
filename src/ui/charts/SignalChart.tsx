// Signal propagation per run, after the stem and each block: the mean square per unit
// q (log y; explosion shows as a straight climb; a per-unit mean, so stride-2 stages do
// not halve it) and the cosine of the two inputs of each pair (collapse toward 1 means
// the network stops telling inputs apart), dashed for the looks-linear signal cosine.
// Means over the pairs with a min-max band.
import { memo, useMemo, useState, type ReactNode } from 'react';
import { CartesianGrid, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SignalRecord } from '../../lab';
import { bandRows } from './bandRows';
import type { SeriesStyle } from './chartColors';
import { formatNumber, logDomain, rowsToCsv } from './chartData';
import { ChartToggle } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { bandArea, dottedLine } from './chartSeries';
import { AXIS_TICK, GRID_STROKE, MARGIN, SMALL_CHART_HEIGHT, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { bnModeNote } from './diagnosticText';

export interface SignalChartProps {
  /** In run order. */
  signals: readonly SignalRecord[];
  styles: readonly SeriesStyle[];
  controls?: ReactNode;
}

/** "stage2.block1" -> "2.1": block labels are long for a tick. */
export function shortLabel(label: string): string {
  const m = /^stage(\d+)\.block(\d+)$/.exec(label);
  return m ? `${m[1]}.${m[2]}` : label;
}

function sourceText(s: SignalRecord | undefined): string {
  if (!s) return '';
  const what = s.source === 'data' ? 'training images of different classes' : 'Gaussian inputs';
  return `${s.pairs} pair${s.pairs === 1 ? '' : 's'} of ${what} (input cosine ${formatNumber(s.inputCosine.mean, 2)}); lines are means, bands min to max`;
}

export const SignalChart = memo(function SignalChart({ signals, styles, controls }: SignalChartProps) {
  const [logY, setLogY] = useState(true);
  const [bands, setBands] = useState(true);
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const rows = useMemo(
    () =>
      bandRows([
        { prefix: 'q', points: signals.map((s) => s.layers.map((l) => ({ x: l.depth, band: l.q }))) },
        { prefix: 'c', points: signals.map((s) => s.layers.map((l) => ({ x: l.depth, band: l.cosine }))) },
        { prefix: 'd', points: signals.map((s) => s.layers.map((l) => ({ x: l.depth, band: l.signalCosine }))) },
      ]),
    [signals],
  );
  const labels = useMemo(() => new Map(signals.flatMap((s) => s.layers.map((l) => [l.depth, l.name] as const))), [signals]);
  // Every block gets a tick while they fit; deeper nets let recharts thin them out.
  const ticks = useMemo(() => (labels.size <= 16 ? [...labels.keys()].sort((a, b) => a - b) : undefined), [labels]);
  const qDomain = useMemo(
    () => (logY ? logDomain(signals.flatMap((s) => s.layers.flatMap((l) => [l.q.min, l.q.max]))) : undefined),
    [signals, logY],
  );
  const minCos = Math.min(
    0,
    ...signals.flatMap((s) => s.layers.flatMap((l) => [l.cosine.min, l.signalCosine?.min ?? 0])).filter(Number.isFinite),
  );

  const empty = signals.length === 0 ? 'No signal measurement yet: it is taken when the runs start.' : undefined;
  const legend = signals.map((s) => style.get(s.runKey) ?? { key: s.runKey, label: s.runKey, color: '#888' });
  const labelOf = (key: string) => style.get(key)?.label ?? key;
  const colorOf = (key: string) => style.get(key)?.color ?? '#888';
  const csv = () =>
    rowsToCsv(
      signals.flatMap((s) =>
        s.layers.map((l) => ({
          run: s.runKey,
          step: s.step,
          bnStats: s.bnStats,
          block: l.depth,
          label: l.name,
          qMean: l.q.mean,
          qMin: l.q.min,
          qMax: l.q.max,
          cosMean: l.cosine.mean,
          cosMin: l.cosine.min,
          cosMax: l.cosine.max,
          signalCosMean: l.signalCosine?.mean,
          signalCosMin: l.signalCosine?.min,
          signalCosMax: l.signalCosine?.max,
        })),
      ),
      [
        'run',
        'step',
        'bnStats',
        'block',
        'label',
        'qMean',
        'qMin',
        'qMax',
        'cosMean',
        'cosMin',
        'cosMax',
        'signalCosMean',
        'signalCosMin',
        'signalCosMax',
      ].map((k) => ({ key: k, header: k })),
    );
  const xAxis = (
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
  );
  const tooltip = <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => labels.get(Number(x)) ?? `block ${x}`} />;
  const series = (prefix: string, dashed = false) =>
    signals.flatMap((s, i) => [
      ...(bands ? [bandArea(`${prefix}${i}band`, colorOf(s.runKey), 0.12)] : []),
      dottedLine(`${prefix}${i}`, dashed ? `${labelOf(s.runKey)} (signal d)` : labelOf(s.runKey), colorOf(s.runKey), dashed),
    ]);
  const note = bnModeNote(signals);

  return (
    <ChartFrame
      id="signal"
      title="Signal propagation through depth"
      legend={legend}
      empty={empty}
      csv={csv}
      exportNotes={() => [sourceText(signals[0]), note ?? '']}
      wide
      controls={
        <>
          {controls}
          <ChartToggle label="log q" checked={logY} onChange={setLogY} />
          <ChartToggle label="min-max bands" checked={bands} onChange={setBands} testId="signal-bands" />
        </>
      }
    >
      <p className="chart-note" data-testid="signal-source">
        {sourceText(signals[0])}
      </p>
      {note && <p className="chart-note">{note}</p>}
      <div className="chart-pair">
        <figure>
          <figcaption>Mean square per unit q = ‖x‖² / numel(x)</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <ComposedChart data={rows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              {xAxis}
              <YAxis
                width={Y_AXIS_WIDTH}
                tick={AXIS_TICK}
                scale={logY ? 'log' : 'auto'}
                domain={qDomain ?? ['auto', 'auto']}
                allowDataOverflow={logY}
                tickFormatter={(v: number) => formatNumber(v)}
              />
              {tooltip}
              {series('q')}
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>Cosine of the two inputs' activations (dashed: of their looks-linear signals d)</figcaption>
          <ResponsiveContainer width="100%" height={SMALL_CHART_HEIGHT}>
            <ComposedChart data={rows} margin={MARGIN}>
              <CartesianGrid stroke={GRID_STROKE} />
              {xAxis}
              <YAxis width={Y_AXIS_WIDTH} tick={AXIS_TICK} domain={[minCos, 1]} tickFormatter={(v: number) => formatNumber(v, 2)} />
              {signals[0] && Number.isFinite(signals[0].inputCosine.mean) && (
                <ReferenceLine
                  y={signals[0].inputCosine.mean}
                  stroke="#333"
                  strokeDasharray="4 3"
                  label={{ value: 'inputs', fontSize: 10, position: 'insideBottomRight' }}
                />
              )}
              {tooltip}
              {series('c')}
              {series('d', true)}
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <ul className="chart-stats">
        {signals.map((s) => {
          const last = s.layers[s.layers.length - 1];
          return (
            <li
              key={s.runKey}
              data-testid={`signal-stats-${s.runKey}`}
              data-last-q={String(last?.q.mean)}
              data-last-cosine={String(last?.cosine.mean)}
              data-last-signal-cosine={String(last?.signalCosine?.mean ?? '')}
            >
              <span className="chart-swatch" style={{ background: colorOf(s.runKey) }} />
              <strong>{labelOf(s.runKey)}</strong> last block: q = {formatNumber(last?.q.mean)}, cosine ={' '}
              {formatNumber(last?.cosine.mean, 3)}
              {last?.signalCosine && `, signal cosine = ${formatNumber(last.signalCosine.mean, 3)}`}
            </li>
          );
        })}
      </ul>
    </ChartFrame>
  );
});
