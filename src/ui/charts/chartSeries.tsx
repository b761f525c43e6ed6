// The recharts pieces the line charts share, as functions returning elements (recharts reads
// its series from the chart's direct children, so these are called, not rendered as
// components): the numeric x axis, seed bands, faint raw curves and the dotted per-block
// curves of the diagnostics charts.
import { Area, Line, XAxis, type XAxisProps } from 'recharts';
import { formatNumber } from './chartData';
import { AXIS_TICK, NO_ANIMATION, RAW_OPACITY } from './chartTheme';

/** Opacity of a min-max band over seeds behind its run's curve. */
export const BAND_OPACITY = 0.15;

/** x fitted to the data (`dataKey` "x"), ticks as short numbers; `props` override. */
export function numericXAxis(props: XAxisProps = {}) {
  return (
    <XAxis
      dataKey="x"
      type="number"
      domain={['dataMin', 'dataMax']}
      tick={AXIS_TICK}
      tickFormatter={(v: number) => formatNumber(v)}
      {...props}
    />
  );
}

/** A filled [low, high] band (a data key holding pairs), under the curves, not in tooltips. */
export function bandArea(dataKey: string, color: string, opacity = BAND_OPACITY, className?: string) {
  return (
    <Area
      key={dataKey}
      dataKey={dataKey}
      stroke="none"
      fill={color}
      fillOpacity={opacity}
      legendType="none"
      tooltipType="none"
      connectNulls
      className={className}
      {...NO_ANIMATION}
    />
  );
}

/** A faint thin curve (raw values behind a smoothed one), not in tooltips. */
export function faintLine(dataKey: string, color: string) {
  return (
    <Line
      key={dataKey}
      dataKey={dataKey}
      stroke={color}
      strokeOpacity={RAW_OPACITY}
      strokeWidth={1}
      dot={false}
      activeDot={false}
      connectNulls
      tooltipType="none"
      {...NO_ANIMATION}
    />
  );
}

/** A run's curve over blocks or depths, one dot per point; dashed for a second quantity. */
export function dottedLine(dataKey: string, name: string, color: string, dashed = false) {
  return (
    <Line
      key={dataKey}
      dataKey={dataKey}
      name={name}
      stroke={color}
      strokeDasharray={dashed ? '5 4' : undefined}
      strokeWidth={1.6}
      dot={{ r: 2 }}
      connectNulls
      {...NO_ANIMATION}
    />
  );
}
