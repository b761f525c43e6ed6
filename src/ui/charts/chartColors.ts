// One colour per init scheme, fixed by scheme id (Risotto is the same orange in every
// chart and after every reload); several runs of one scheme with different options get
// darker and lighter shades of it. A run imported from outside (PyTorch) takes the colour
// of the lab run it reproduces and is drawn dashed. Pure.
import type { InitSchemeId } from '../../lab';

/** A Record over every id, so a new scheme without a colour fails to compile. */
export const SCHEME_COLORS: Readonly<Record<InitSchemeId, string>> = {
  risotto: '#e4572e',
  he: '#1f77b4',
  fixup: '#2ca02c',
  skipinit: '#9467bd',
  rezero: '#8c564b',
  deltaOrthogonal: '#17becf',
  looksLinearNoCorrection: '#7f7f7f',
};

// For ids this build does not know (an import from a newer lab): stable by hash.
const SPARE = ['#bcbd22', '#e377c2', '#393b79', '#637939', '#843c39'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function schemeColor(id: string): string {
  return Object.prototype.hasOwnProperty.call(SCHEME_COLORS, id) ? SCHEME_COLORS[id as InitSchemeId] : SPARE[hash(id) % SPARE.length];
}

/** `hex` (#rrggbb) mixed toward black (amount < 0) or white (amount > 0). */
export function mix(hex: string, amount: number): string {
  const target = amount < 0 ? 0 : 255;
  const t = Math.min(1, Math.abs(amount));
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${channels
    .map((c) =>
      Math.round(c + (target - c) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Shade k of a scheme's colour: 0 is the colour itself, then darker, lighter, darker... */
export function shadeOf(hex: string, k: number): string {
  if (k <= 0) return hex;
  const step = Math.min(0.7, 0.3 * Math.ceil(k / 2));
  return mix(hex, k % 2 === 1 ? -step : step);
}

/** The scheme id inside a run key such as "risotto(alpha=0.5)" or "he[bn=1]". */
export function schemeIdOfKey(key: string): string {
  const i = key.search(/[([]/);
  return i < 0 ? key : key.slice(0, i);
}

export interface SeriesStyle {
  key: string;
  label: string;
  color: string;
  /** Drawn dashed: a run imported from outside the lab. */
  dashed?: boolean;
}

export interface StyledRun {
  key: string;
  label?: string;
  schemeId?: string;
  /** Imported: its key is "<tool>:<lab run key>". */
  external?: boolean;
}

/** The lab run key an imported run reproduces ("pytorch:risotto" -> "risotto"). */
export function ownKey(r: StyledRun): string {
  return r.external ? r.key.slice(r.key.indexOf(':') + 1) : r.key;
}

/** Colours for the runs of one experiment, in its order: a scheme's first run (its
 * default options first) gets the base colour, later ones the next shades; an imported
 * run gets the shade of the lab run it reproduces, dashed. */
export function runStyles(runs: readonly StyledRun[]): SeriesStyle[] {
  const byScheme = new Map<string, string[]>();
  for (const r of runs) {
    const id = r.schemeId ?? schemeIdOfKey(r.key);
    const list = byScheme.get(id) ?? [];
    if (!list.includes(ownKey(r))) list.push(ownKey(r));
    byScheme.set(id, list);
  }
  for (const [id, keys] of byScheme) keys.sort((a, b) => Number(b === id) - Number(a === id));
  return runs.map((r) => {
    const id = r.schemeId ?? schemeIdOfKey(r.key);
    const style: SeriesStyle = {
      key: r.key,
      label: r.label ?? r.key,
      color: shadeOf(schemeColor(id), byScheme.get(id)!.indexOf(ownKey(r))),
    };
    return r.external ? { ...style, dashed: true } : style;
  });
}

/** The dash pattern of a series' main line (undefined: solid). */
export const dashOf = (s: SeriesStyle | undefined): string | undefined => (s?.dashed ? '6 4' : undefined);
