// The gradient norm of every block at every kept logged step, per run: a block x step
// heat map on one log colour scale shared by the runs, with its legend and the value
// under the pointer. The history itself (and its thinning) is src/lab/runHistory.ts.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { RunState, RunHistory } from '../../lab';
import type { SeriesStyle } from './chartColors';
import { formatNumber, rowsToCsv } from './chartData';
import { ChartFrame } from './ChartFrame';
import { decadeTicks, logScaleOf, rampColor, rampCss, scalePosition, type LogScale } from './heatMapData';

const ROW_PX = { min: 5, max: 14, total: 220 };

function HeatMap({ run, history, scale, style }: { run: RunState; history: RunHistory; scale: LogScale; style?: SeriesStyle }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string>();
  const { blocks, gradNorms } = history;
  const cols = gradNorms.steps.length;
  const rowPx = Math.max(ROW_PX.min, Math.min(ROW_PX.max, Math.floor(ROW_PX.total / Math.max(1, blocks.length))));
  const finite = useMemo(
    () => gradNorms.rows.reduce((n, row) => n + row.filter((v) => v > 0 && Number.isFinite(v)).length, 0),
    [gradNorms],
  );

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || cols === 0) return;
    const img = ctx.createImageData(cols, blocks.length);
    gradNorms.rows.forEach((row, j) =>
      row.forEach((v, i) => {
        const t = scalePosition(scale, v);
        const [r, g, b] = t === undefined ? [220, 220, 220] : rampColor(t);
        img.data.set([r, g, b, 255], (i * cols + j) * 4);
      }),
    );
    ctx.putImageData(img, 0, 0);
  }, [gradNorms, blocks.length, cols, scale]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const j = Math.min(cols - 1, Math.floor(((e.clientX - rect.left) / rect.width) * cols));
    const i = Math.min(blocks.length - 1, Math.floor(((e.clientY - rect.top) / rect.height) * blocks.length));
    if (i < 0 || j < 0) return setHover(undefined);
    setHover(`${blocks[i]}, step ${gradNorms.steps[j]}: ${formatNumber(gradNorms.rows[j][i], 3)}`);
  };

  return (
    <figure className="heat-map" data-testid={`grad-heatmap-${run.key}`} data-blocks={blocks.length} data-steps={cols} data-finite={finite}>
      <figcaption>
        <span className="chart-swatch" style={{ background: style?.color ?? '#888' }} /> <strong>{style?.label ?? run.label}</strong>{' '}
        {gradNorms.stride > 1 ? `(every ${gradNorms.stride}th logged step)` : ''}
      </figcaption>
      <div className="heat-map-grid">
        <div className="heat-map-rows" style={{ height: rowPx * blocks.length }}>
          <span>{blocks[0]}</span>
          <span>{blocks[blocks.length - 1]}</span>
        </div>
        <canvas
          ref={canvas}
          width={Math.max(1, cols)}
          height={Math.max(1, blocks.length)}
          style={{ height: rowPx * blocks.length }}
          role="img"
          aria-label={`${run.label}: gradient norm of ${blocks.length} blocks at ${cols} steps`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
        />
      </div>
      <div className="heat-map-axis">
        <span>step {gradNorms.steps[0]}</span>
        <output data-testid="heatmap-hover">{hover ?? 'point at a cell for its value'}</output>
        <span>step {gradNorms.steps[cols - 1]}</span>
      </div>
    </figure>
  );
}

export const GradNormHeatMap = memo(function GradNormHeatMap({
  runs,
  styles,
}: {
  runs: readonly RunState[];
  styles: readonly SeriesStyle[];
}) {
  const shown = useMemo(() => runs.filter((r) => (r.history?.gradNorms.steps.length ?? 0) > 0), [runs]);
  const scale = useMemo(() => logScaleOf(shown.flatMap((r) => r.history!.gradNorms.rows.flat())), [shown]);
  const style = new Map(styles.map((s) => [s.key, s]));
  const empty =
    runs.length === 0 ? 'No runs yet: press Run' : !scale ? 'No gradient history yet: it fills in as the runs log their steps.' : undefined;
  const csv = () =>
    rowsToCsv(
      shown.flatMap((r) => {
        const h = r.history!;
        return h.gradNorms.steps.flatMap((step, j) =>
          h.blocks.map((block, i) => ({ run: r.key, step, block, norm: h.gradNorms.rows[j][i] })),
        );
      }),
      ['run', 'step', 'block', 'norm'].map((key) => ({ key, header: key === 'norm' ? 'grad norm' : key })),
    );
  const ticks = scale ? decadeTicks(scale) : [];
  return (
    <ChartFrame id="grad-heatmap" title="Gradient norm per block through training" legend={[]} empty={empty} csv={csv} wide>
      <div className="heat-map-legend" aria-label="colour scale (log)">
        <span>grad norm (log)</span>
        <div className="heat-map-ramp" style={{ background: rampCss() }} />
        <div className="heat-map-ticks">
          {ticks.map((e) => (
            <span key={e} style={{ left: `${scale ? ((e - scale.lo) / (scale.hi - scale.lo)) * 100 : 0}%` }}>
              1e{e}
            </span>
          ))}
        </div>
      </div>
      {scale && shown.map((r) => <HeatMap key={r.key} run={r} history={r.history!} scale={scale} style={style.get(r.key)} />)}
    </ChartFrame>
  );
});
