// Training loss of every run on one chart: the EMA-smoothed curve over a faint raw
// one, by step or epoch, optional log y, each run downsampled to ~1500 points. A run
// over several seeds: its mean, with a band from the lowest to the highest seed's
// smoothed curve.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import type { RunState } from '../../lab';
import { dashOf, type SeriesStyle } from './chartColors';
import { alignRows, emaSmooth, formatNumber, fractionalEpochs, logDomain, pluck, rowsToCsv, type AlignInput } from './chartData';
import { ChartChoice, ChartSlider, ChartToggle } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { BAND_OPACITY, bandArea, faintLine, numericXAxis } from './chartSeries';
import { acrossSeeds, withBands } from './seedSeries';
import { AXIS_TICK, CHART_HEIGHT, GRID_STROKE, MARGIN, NO_ANIMATION, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';

export const POINTS_PER_RUN = 1500;

export interface RunChartProps {
  runs: readonly RunState[];
  /** Colour and label per run key. */
  styles: readonly SeriesStyle[];
  /** Runs drawn as their mean over seeds: their seeds by run key, for the min-max band. */
  seeds?: ReadonlyMap<string, readonly RunState[]>;
}

type XMode = 'step' | 'epoch';

function lossSeries(run: RunState, xMode: XMode, smoothing: number, logY: boolean) {
  const raw = pluck(run.train, (p) => (logY && !(p.loss > 0) ? NaN : p.loss));
  const xs = xMode === 'epoch' ? fractionalEpochs(run.train) : pluck(run.train, (p) => p.step);
  return { xs, raw, smooth: emaSmooth(raw, smoothing) };
}

function lossInputs(run: RunState, i: number, xMode: XMode, smoothing: number, logY: boolean, seeds?: readonly RunState[]): AlignInput[] {
  const { xs, raw, smooth } = lossSeries(run, xMode, smoothing, logY);
  const inputs: AlignInput[] = [{ xs, cols: { [`r${i}`]: raw, [`s${i}`]: smooth }, pick: `r${i}` }];
  if (seeds) {
    const band = acrossSeeds(seeds.map((r) => lossSeries(r, xMode, smoothing, logY)).map((s) => ({ xs: s.xs, ys: s.smooth })));
    inputs.push({ xs: band.xs, cols: { [`lo${i}`]: band.min, [`hi${i}`]: band.max }, pick: `hi${i}` });
  }
  return inputs;
}

export const LossChart = memo(function LossChart({ runs, styles, seeds }: RunChartProps) {
  const [smoothing, setSmoothing] = useState(0.6);
  const [xMode, setXMode] = useState<XMode>('step');
  const [logY, setLogY] = useState(false);
  const color = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const shown = useMemo(() => runs.filter((r) => r.train.length > 0), [runs]);
  const rows = useMemo(
    () =>
      alignRows(
        shown.flatMap((r, i) => lossInputs(r, i, xMode, smoothing, logY, seeds?.get(r.key))),
        POINTS_PER_RUN,
      ),
    [shown, xMode, smoothing, logY, seeds],
  );
  const data = useMemo(() => withBands(rows, shown.length), [rows, shown]);
  const yDomain = useMemo(
    () =>
      logY
        ? logDomain(
            rows.flatMap((r) =>
              Object.entries(r)
                .filter(([k]) => k !== 'x')
                .map(([, v]) => v ?? NaN),
            ),
          )
        : undefined,
    [rows, logY],
  );

  const empty = runs.length === 0 ? 'No runs yet: press Run' : shown.length === 0 ? 'Waiting for the first training steps…' : undefined;
  const legend = shown.map((r) => color.get(r.key) ?? { key: r.key, label: r.label, color: '#888' });
  const csv = () =>
    rowsToCsv(rows, [
      { key: 'x', header: xMode },
      ...shown.flatMap((r, i) => [
        { key: `r${i}`, header: `${r.label} loss` },
        { key: `s${i}`, header: `${r.label} loss (smoothed ${smoothing})` },
        ...(seeds?.has(r.key)
          ? [
              { key: `lo${i}`, header: `${r.label} lowest seed (smoothed)` },
              { key: `hi${i}`, header: `${r.label} highest seed (smoothed)` },
            ]
          : []),
      ]),
    ]);

  const controls = (
    <>
      <ChartSlider label="Smoothing" value={smoothing} min={0} max={0.99} step={0.01} onChange={setSmoothing} testId="loss-smoothing" />
      <ChartChoice<XMode>
        label="x:"
        value={xMode}
        options={[
          { value: 'step', label: 'step' },
          { value: 'epoch', label: 'epoch' },
        ]}
        onChange={setXMode}
      />
      <ChartToggle label="log y" checked={logY} onChange={setLogY} testId="loss-log-y" />
    </>
  );

  return (
    <ChartFrame id="loss" title="Training loss" legend={legend} empty={empty} csv={csv} controls={controls}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ComposedChart data={data} margin={MARGIN}>
          <CartesianGrid stroke={GRID_STROKE} />
          {numericXAxis()}
          <YAxis
            width={Y_AXIS_WIDTH}
            tick={AXIS_TICK}
            scale={logY ? 'log' : 'auto'}
            domain={yDomain ?? ['auto', 'auto']}
            allowDataOverflow={logY}
            tickFormatter={(v: number) => formatNumber(v)}
          />
          <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} labelFormatter={(x) => `${xMode} ${formatNumber(Number(x), 4)}`} />
          {shown.map((r, i) =>
            seeds?.has(r.key) ? bandArea(`band${i}`, color.get(r.key)?.color ?? '#888', BAND_OPACITY, 'seed-band') : null,
          )}
          {/* Every faint raw curve first, so no run's raw noise hides another's smoothed line. */}
          {smoothing > 0 && shown.map((r, i) => faintLine(`r${i}`, color.get(r.key)?.color ?? '#888'))}
          {shown.map((r, i) => (
            <Line
              key={`s${i}`}
              dataKey={`s${i}`}
              name={r.label}
              stroke={color.get(r.key)?.color ?? '#888'}
              strokeDasharray={dashOf(color.get(r.key))}
              strokeWidth={1.8}
              dot={false}
              connectNulls
              {...NO_ANIMATION}
            />
          ))}
          {xMode === 'step' &&
            shown
              .filter((r) => r.divergedAt !== undefined)
              .map((r) => (
                <ReferenceLine
                  key={`d-${r.key}`}
                  x={r.divergedAt}
                  stroke={color.get(r.key)?.color}
                  strokeDasharray="4 3"
                  label={{ value: 'diverged', fontSize: 10, position: 'insideTopRight' }}
                />
              ))}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
