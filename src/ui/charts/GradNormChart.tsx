// Gradient norm per block at each run's latest read step: the per-parameter norms
// combined by block (stem, stageS.blockB, head), one bar per run and block (an imported
// run: its history's last kept step).
import { memo, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber, logDomain, rowsToCsv } from './chartData';
import { ChartToggle } from './ChartControls';
import { ChartFrame } from './ChartFrame';
import { AXIS_TICK, CHART_HEIGHT, GRID_STROKE, MARGIN, NO_ANIMATION, TOOLTIP_PROPS, tooltipValue, Y_AXIS_WIDTH } from './chartTheme';
import { groupGradNorms, unionGroups, type GradGroup } from './diagnosticData';
import type { RunHistory } from '../../lab';
import type { RunChartProps } from './LossChart';

/** An imported run has no per-parameter norms: its history's last kept step has the blocks. */
function lastOfHistory(h: RunHistory): GradGroup[] {
  const row = h.gradNorms.rows[h.gradNorms.rows.length - 1];
  return h.blocks.map((group, i) => ({ group, norm: row[i] }));
}

export const GradNormChart = memo(function GradNormChart({ runs, styles }: RunChartProps) {
  const [logY, setLogY] = useState(false);
  const style = useMemo(() => new Map(styles.map((s) => [s.key, s])), [styles]);
  const shown = useMemo(
    () => runs.filter((r) => (r.gradNorms && r.gradNorms.names.length > 0) || r.history?.gradNorms.steps.length),
    [runs],
  );
  const rows = useMemo(() => {
    const perRun = shown.map((r) => (r.gradNorms ? groupGradNorms(r.gradNorms.names, r.gradNorms.values) : lastOfHistory(r.history!)));
    return unionGroups(perRun).map((group) => {
      const row: Record<string, string | number | undefined> = { group };
      perRun.forEach((groups, i) => {
        const v = groups.find((g) => g.group === group)?.norm;
        row[`g${i}`] = logY && !(v !== undefined && v > 0) ? undefined : v;
      });
      return row;
    });
  }, [shown, logY]);
  const yDomain = useMemo(
    () => (logY ? logDomain(rows.flatMap((r) => shown.map((_, i) => Number(r[`g${i}`])))) : undefined),
    [rows, shown, logY],
  );

  const empty =
    runs.length === 0 ? 'No runs yet: press Run' : shown.length === 0 ? 'No gradients yet: they appear after the first steps.' : undefined;
  const legend = shown.map((r) => style.get(r.key) ?? { key: r.key, label: r.label, color: '#888' });
  const steps = [...new Set(shown.map((r) => r.step))];
  const title = `Gradient norm per block${steps.length === 1 ? ` (step ${steps[0]})` : ' (latest step)'}`;
  const csv = () =>
    rowsToCsv(rows, [{ key: 'group', header: 'block' }, ...shown.map((r, i) => ({ key: `g${i}`, header: `${r.label} grad norm` }))]);

  return (
    <ChartFrame
      id="gradnorm"
      title={title}
      legend={legend}
      empty={empty}
      csv={csv}
      wide
      controls={<ChartToggle label="log y" checked={logY} onChange={setLogY} />}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={rows} margin={MARGIN} barCategoryGap="15%">
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis
            dataKey="group"
            tick={AXIS_TICK}
            interval="preserveStartEnd"
            tickFormatter={(g: string) => g.replace(/^stage(\d+)\.block(\d+)$/, '$1.$2')}
          />
          <YAxis
            width={Y_AXIS_WIDTH}
            tick={AXIS_TICK}
            scale={logY ? 'log' : 'auto'}
            domain={yDomain ?? [0, 'auto']}
            allowDataOverflow={logY}
            tickFormatter={(v: number) => formatNumber(v)}
          />
          <Tooltip {...TOOLTIP_PROPS} formatter={tooltipValue} />
          {shown.map((r, i) => (
            <Bar key={`g${i}`} dataKey={`g${i}`} name={r.label} fill={style.get(r.key)?.color ?? '#888'} {...NO_ANIMATION} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
