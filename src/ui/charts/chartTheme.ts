// Shared look of the recharts charts (sizes, axis and grid styling, tooltip box) so
// every chart matches; animation is off everywhere: it costs CPU on every snapshot.
import { formatNumber } from './chartData';

export const CHART_HEIGHT = 260;
export const SMALL_CHART_HEIGHT = 220;
export const MARGIN = { top: 8, right: 16, bottom: 4, left: 4 };
export const AXIS_TICK = { fontSize: 11, fill: '#555' };
export const GRID_STROKE = '#e6e6e6';
const TOOLTIP_STYLE = { fontSize: 12, padding: '4px 8px' };
export const NO_ANIMATION = { isAnimationActive: false } as const;
export const RAW_OPACITY = 0.22;

/** Tooltip values: a number in short form, anything else as is. */
export function tooltipValue(v: unknown): string {
  return typeof v === 'number' ? formatNumber(v, 4) : String(v ?? '');
}

/** Y axis width that fits labels like "1.23e-5". */
export const Y_AXIS_WIDTH = 56;

/** Tooltip rows in run order (data keys end in the run's index), not alphabetical. */
function runOrder(item: { dataKey?: unknown }): number {
  return Number(/\d+$/.exec(String(item.dataKey))?.[0] ?? 0);
}

export const TOOLTIP_PROPS = { isAnimationActive: false, contentStyle: TOOLTIP_STYLE, itemSorter: runOrder } as const;
