// Pure text helpers for the panels: compact numbers, percentages, durations, bytes, and
// the parsers that turn what a user typed into a value or a readable problem. No React.

/** A number in at most ~4 significant digits: 0.0005 -> "5e-4", 12345 -> "12.3k". */
export function formatCompact(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${trim(v / 1e9, 3)}G`;
  if (a >= 1e6) return `${trim(v / 1e6, 3)}M`;
  if (a >= 1e4) return `${trim(v / 1e3, 3)}k`;
  // Small magnitudes read better in exponent form than as a row of zeros.
  if (a < 1e-3) return v.toExponential(1).replace('.0e', 'e');
  return trim(v, 4);
}

function trim(v: number, digits: number): string {
  return String(Number(v.toPrecision(digits)));
}

export function formatPercent(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(100 * fraction).toFixed(1)}%`;
}

/** 0 -> "0s", 75 -> "1m 15s", 3700 -> "1h 1m"; NaN or negative -> "–". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** A measured time: "850 ms" below a second, else as formatDuration. */
export function formatElapsedMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms / 1000);
}

export function formatMegabytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–';
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** Milliseconds per step from a rate; "–" while no rate is known. */
export function formatStepMs(stepsPerSecond: number | undefined, share = 1): string {
  if (!stepsPerSecond || !Number.isFinite(stepsPerSecond) || stepsPerSecond <= 0 || share <= 0) return '–';
  const ms = 1000 / stepsPerSecond / share;
  return `${ms >= 1000 ? Math.round(ms) : trim(ms, 3)} ms`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  nonZero?: boolean;
  /** Empty text means "no value" (undefined) instead of an error. */
  optional?: boolean;
}

/** What the user typed as a number under `rule`, or why it is not one. */
export function parseNumberText(text: string, rule: NumberRule = {}): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return rule.optional ? { ok: true, value: undefined } : { ok: false, error: 'enter a number' };
  // Number() accepts "0x10" and " " quirks; insist on a plain decimal or exponent form.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { ok: false, error: `"${t}" is not a number` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, error: `"${t}" is too large` };
  if (rule.integer && !Number.isInteger(v)) return { ok: false, error: 'must be a whole number' };
  if (rule.min !== undefined && v < rule.min) return { ok: false, error: `must be at least ${rule.min}` };
  if (rule.max !== undefined && v > rule.max) return { ok: false, error: `must be at most ${rule.max}` };
  if (rule.nonZero && v === 0) return { ok: false, error: 'must not be 0' };
  return { ok: true, value: v };
}

/** "1, 2,3" -> [1, 2, 3]: comma- or space-separated positive integers, each at most `max`. */
export function parseIntList(text: string, what: string, lengths?: readonly number[], max = Infinity): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: `enter ${what}, e.g. 1,1,1` };
  const values: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) < 1) return { ok: false, error: `"${p}" is not a positive whole number` };
    if (Number(p) > max) return { ok: false, error: `${p} is above the maximum ${max}` };
    values.push(Number(p));
  }
  if (lengths && !lengths.includes(values.length))
    return { ok: false, error: `${what} needs ${lengths.join(' or ')} numbers, got ${values.length}` };
  return { ok: true, value: values };
}

export const formatIntList = (values: readonly number[]): string => values.join(',');

/** A number as an input shows it: plain, with no float noise from arithmetic. */
export function formatInput(v: number | undefined): string {
  if (v === undefined) return '';
  return String(Number(v.toPrecision(12)));
}
