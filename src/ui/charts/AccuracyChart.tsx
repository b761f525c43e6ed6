// Test accuracy of every run vs step (bold, with a dot per evaluation; imported runs dashed) over the faint
// accuracy of each training batch; training batches downsampled to ~1500 per run. A run
// over several seeds: its mean test accuracy with a band from the lowest seed's to the highest's.
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, YAxis } from 'recharts';
import { alignRows, lastAtOrBefore, pluck, rowsToCsv, type AlignInput } from './chartData';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, CHART_HEIGHT, GRID_STROKE, MARGIN, NO_ANIMATION, TOOLTIP_PROPS, Y_AXIS_WIDTH } from './chartTheme';
import type { RunState } from '../../lab';
import { dashOf, type SeriesStyle } from './chartColors';
import { POINTS_PER_RUN, type RunChartProps } from './LossChart';
import { BAND_OPACITY, bandArea, faintLine, numericXAxis } from './chartSeries';
import { acrossSeeds, withBands } from './seedSeries';

// Past this many evaluations the dots merge into a thick band: the line alone reads better.
const MAX_DOTS = 60;
const smallDot = (fill: string) => (p: { cx?: number; cy?: number }) => <circle cx={p.cx} cy={p.cy} r={2.5} fill={fill} />;
const TITLE = 'Accuracy (test: bold, training batch: faint)';
// With mixup a mixed training example counts as correct when the prediction is its dominant label; test images are not mixed.
const MIXUP_TITLE = 'Accuracy (test: bold, training batch with mixup, scored on its dominant label: faint)';
const percent = (v: number) => `${Number((v * 100).toFixed(1))}%`;

/** Evaluations are sparse: under the cursor show each run's latest one (and its step),
 * not only the runs that happen to have one at exactly this step. */
function AccuracyTooltip(props: { active?: boolean; step: number; runs: readonly RunState[]; color: ReadonlyMap<string, SeriesStyle> }) {
  const { active, step, runs, color } = props;
  if (!active || !Number.isFinite(step)) return null;
  return (
    <div className="chart-tooltip">
      <div>step {step}</div>
      {runs.map((r) => {
        const k = lastAtOrBefore(r.test, step);
        const b = lastAtOrBefore(r.train, step);
        return (
          <div key={r.key} style={{ color: color.get(r.key)?.color }}>
            {r.label}: {k >= 0 ? `${percent(r.test[k].acc)} test (step ${r.test[k].step})` : 'no test yet'}
            {b >= 0 && r.train[b].step === step ? `, ${percent(r.train[b].acc)} batch` : ''}
          </div>
        );
      })}
    </div>
  );
}

/** `mixup`: the runs train on mixed examples, whose training accuracy counts the dominant label. */
export const AccuracyChart = memo(function AccuracyChart({ runs, styles, seeds, mixup }: RunChartProps & { mixup?: boolean }) {
  const color = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const shown = useMemo(() => runs.filter((r) => r.train.length > 0 || r.test.length > 0), [runs]);
  const rows = useMemo(() => {
    const inputs: AlignInput[] = shown.flatMap((r, i) => {
      const own = seeds?.get(r.key);
      const band = own && acrossSeeds(own.map((x) => ({ xs: pluck(x.test, (p) => p.step), ys: pluck(x.test, (p) => p.acc) })));
      return [
        { xs: pluck(r.train, (p) => p.step), cols: { [`t${i}`]: pluck(r.train, (p) => p.acc) }, pick: `t${i}` },
        { xs: pluck(r.test, (p) => p.step), cols: { [`e${i}`]: pluck(r.test, (p) => p.acc) }, pick: `e${i}` },
        ...(band ? [{ xs: band.xs, cols: { [`lo${i}`]: band.min, [`hi${i}`]: band.max }, pick: `hi${i}` }] : []),
      ];
    });
    return withBands(alignRows(inputs, POINTS_PER_RUN), shown.length);
  }, [shown, seeds]);

  const empty = runs.length === 0 ? 'No runs yet: press Run' : shown.length === 0 ? 'Waiting for the first training steps…' : undefined;
  const legend = shown.map((r) => color.get(r.key) ?? { key: r.key, label: r.label, color: '#888' });
  const csv = () =>
    rowsToCsv(rows, [
      { key: 'x', header: 'step' },
      ...shown.flatMap((r, i) => [
        { key: `e${i}`, header: `${r.label} test accuracy` },
        { key: `t${i}`, header: `${r.label} train batch accuracy` },
        ...(seeds?.has(r.key)
          ? [
              { key: `lo${i}`, header: `${r.label} lowest seed test accuracy` },
              { key: `hi${i}`, header: `${r.label} highest seed test accuracy` },
            ]
          : []),
      ]),
    ]);

  return (
    <ChartFrame id="accuracy" title={mixup ? MIXUP_TITLE : TITLE} legend={legend} empty={empty} csv={csv}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ComposedChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke={GRID_STROKE} />
          {numericXAxis()}
          <YAxis
            width={Y_AXIS_WIDTH}
            tick={AXIS_TICK}
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            allowDataOverflow
            tickFormatter={percent}
          />
          <Tooltip
            {...TOOLTIP_PROPS}
            content={(p) => <AccuracyTooltip active={p.active} step={Number(p.label)} runs={shown} color={color} />}
          />
          {shown.map((r, i) =>
            seeds?.has(r.key) ? bandArea(`band${i}`, color.get(r.key)?.color ?? '#888', BAND_OPACITY, 'seed-band') : null,
          )}
          {/* Faint training curves first, so they never cover a test curve. */}
          {shown.map((r, i) => faintLine(`t${i}`, color.get(r.key)?.color ?? '#888'))}
          {shown.map((r, i) => (
            <Line
              key={`e${i}`}
              dataKey={`e${i}`}
              name={`${r.label} (test)`}
              stroke={color.get(r.key)?.color ?? '#888'}
              strokeDasharray={dashOf(color.get(r.key))}
              strokeWidth={2}
              dot={false}
              connectNulls
              {...NO_ANIMATION}
            />
          ))}
          {/* Dots as scatter series over just the evaluations: a Line's own dots cost one
              element per row of the (much longer) shared data, even where it has no value. */}
          {shown.map((r, i) =>
            r.test.length > 0 && r.test.length <= MAX_DOTS ? (
              <Scatter
                key={`d${i}`}
                data={r.test.map((p) => ({ x: p.step, y: p.acc }))}
                dataKey="y"
                fill={color.get(r.key)?.color ?? '#888'}
                shape={smallDot(color.get(r.key)?.color ?? '#888')}
                legendType="none"
                tooltipType="none"
                {...NO_ANIMATION}
              />
            ) : null,
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
