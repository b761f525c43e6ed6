// Pure shaping of the gradient-norm heat map: one log colour scale shared by every run
// (whole decades around the positive values), the colour of a value on it, and the
// decade ticks of its legend. Missing and non-positive values have no colour.

/** A perceptually even ramp (viridis at five stops), low to high. */
const RAMP: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export interface LogScale {
  /** log10 of the domain's ends (whole decades, at least one apart). */
  lo: number;
  hi: number;
}

/** The shared scale over every value (undefined when none is positive and finite). */
export function logScaleOf(values: Iterable<number>): LogScale | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) if (v > 0 && Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
  if (min > max) return undefined;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  return { lo, hi };
}

/** Position of `v` on the scale, 0..1 (clamped), or undefined when it has no colour. */
export function scalePosition(s: LogScale, v: number): number | undefined {
  if (!(v > 0) || !Number.isFinite(v)) return undefined;
  return Math.min(1, Math.max(0, (Math.log10(v) - s.lo) / (s.hi - s.lo)));
}

/** RGB of a position 0..1 on the ramp. */
export function rampColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(RAMP[i][c] + (RAMP[i + 1][c] - RAMP[i][c]) * f)) as [number, number, number];
}

/** The legend's gradient, as CSS. */
export function rampCss(): string {
  return `linear-gradient(to right, ${RAMP.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(', ')})`;
}

/** Decade ticks of the legend (at most about six, evenly spaced). */
export function decadeTicks(s: LogScale): number[] {
  const step = Math.max(1, Math.ceil((s.hi - s.lo) / 5));
  const out: number[] = [];
  for (let e = s.lo; e <= s.hi; e += step) out.push(e);
  return out;
}
