// The reach map of one run: a P x P image of the Jacobian's column norms (how much each
// input pixel moves the features), darker = more, scaled to the run's own maximum;
// pixels that do not reach the features at all are marked with a cross.
import { memo } from 'react';
import type { SpectrumRecord } from '../../lab';
import { formatNumber } from './chartData';

const CELL = 14;

export const ReachMap = memo(function ReachMap({ record, label, color }: { record: SpectrumRecord; label: string; color: string }) {
  const n = record.reachSize;
  const max = Math.max(...record.reach);
  const reached = record.reach.filter((v) => v > record.rankThreshold).length;
  return (
    <figure className="reach-map" data-testid={`reach-map-${record.runKey}`} data-reached={reached} data-pixels={n * n}>
      <svg
        width={n * CELL}
        height={n * CELL}
        viewBox={`0 0 ${n * CELL} ${n * CELL}`}
        role="img"
        aria-label={`${label}: ${reached} of ${n * n} pixels reach the features`}
      >
        {record.reach.map((v, i) => {
          const [x, y] = [(i % n) * CELL, Math.floor(i / n) * CELL];
          const t = max > 0 ? v / max : 0;
          const dead = !(v > record.rankThreshold);
          return (
            <g key={i}>
              <rect
                x={x}
                y={y}
                width={CELL}
                height={CELL}
                fill={color}
                fillOpacity={dead ? 0 : 0.1 + 0.9 * t}
                stroke="#ddd"
                strokeWidth={0.5}
              >
                <title>{`pixel (${Math.floor(i / n)}, ${i % n}): ${formatNumber(v, 3)}`}</title>
              </rect>
              {dead && (
                <path
                  d={`M${x + 4} ${y + 4}L${x + CELL - 4} ${y + CELL - 4}M${x + CELL - 4} ${y + 4}L${x + 4} ${y + CELL - 4}`}
                  stroke="#bbb"
                  strokeWidth={1}
                />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <strong>{label}</strong> {reached}/{n * n} pixels reach · max {formatNumber(max, 3)}
      </figcaption>
    </figure>
  );
});
