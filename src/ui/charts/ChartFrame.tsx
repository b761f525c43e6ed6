// The card every chart sits in: title, optional controls, the per-run legend, the chart
// (or a short empty-state sentence instead of bare axes), and PNG/SVG/CSV export.
import { useRef, useState, type ReactNode } from 'react';
import type { SeriesStyle } from './chartColors';
import { composeSvg, downloadBlob, svgToPng } from './chartExport';

export interface ChartFrameProps {
  /** Names the frame for tests (data-testid="chart-<id>") and the exported files. */
  id: string;
  title: string;
  legend: readonly SeriesStyle[];
  /** When set, shown instead of the chart, and export is off. */
  empty?: string;
  /** The data shown, as CSV; computed only when the user asks. */
  csv?: () => string;
  /** Text lines added under the charts in SVG/PNG exports. */
  exportNotes?: () => string[];
  controls?: ReactNode;
  /** Take the full row of the charts grid. */
  wide?: boolean;
  children?: ReactNode;
}

export function ChartFrame(props: ChartFrameProps) {
  const { id, title, legend, empty, csv, exportNotes, controls, wide, children } = props;
  const body = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const fileBase = `risotto-lab-${id}`;

  const compose = () => composeSvg(body.current!, { title, legend, notes: exportNotes?.() ?? [] });
  const run = (what: string, f: () => Promise<void> | void) => async () => {
    setError(undefined);
    try {
      await f();
    } catch (e) {
      setError(`${what} export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const exportSvg = run('SVG', () => downloadBlob(new Blob([compose().svg], { type: 'image/svg+xml' }), `${fileBase}.svg`));
  const exportPng = run('PNG', async () => {
    const { svg, width, height } = compose();
    downloadBlob(await svgToPng(svg, width, height), `${fileBase}.png`);
  });
  const exportCsv = run('CSV', () => downloadBlob(new Blob([csv!()], { type: 'text/csv' }), `${fileBase}.csv`));
  const off = empty !== undefined;

  return (
    <section className={`chart-frame${wide ? ' chart-wide' : ''}`} data-testid={`chart-${id}`} aria-label={title}>
      <header className="chart-head">
        <h3>{title}</h3>
        <div className="chart-exports" role="group" aria-label={`Export ${title}`}>
          <button type="button" onClick={exportPng} disabled={off} title="Download as PNG image">
            PNG
          </button>
          <button type="button" onClick={exportSvg} disabled={off} title="Download as SVG vector image">
            SVG
          </button>
          <button type="button" onClick={exportCsv} disabled={off || !csv} title="Download the data shown as CSV">
            CSV
          </button>
        </div>
      </header>
      {controls && !off && <div className="chart-controls">{controls}</div>}
      {legend.length > 0 && !off && (
        <ul className="chart-legend">
          {legend.map((s) => (
            <li key={s.key}>
              <span
                className={s.dashed ? 'chart-swatch chart-swatch-dashed' : 'chart-swatch'}
                style={s.dashed ? { color: s.color } : { background: s.color }}
              />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <div className="chart-body" ref={body}>
        {off ? <p className="chart-empty">{empty}</p> : children}
      </div>
      {error && (
        <p className="chart-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
