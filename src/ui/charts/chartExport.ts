// Chart export in the browser: the recharts <svg>s of one chart frame composed into a
// standalone SVG (title, legend, every sub-chart where it sits on screen, notes), with
// the computed styles inlined so it looks the same outside the page; PNG rasterises
// that SVG. DOM code, used by ChartFrame only.
import type { SeriesStyle } from './chartColors';

const SVG_NS = 'http://www.w3.org/2000/svg';
// What recharts and our CSS may set from stylesheets rather than attributes.
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Copies the computed styles onto the clone, but only where an element differs from
 * its parent: what is inherited or set by attribute stays implicit (keeps files small). */
function inlineStyles(original: Element, clone: Element): void {
  const src = [original, ...original.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  const computed = new Map<Element, CSSStyleDeclaration>();
  src.forEach((el, i) => {
    const target = dst[i];
    if (!target) return;
    const cs = getComputedStyle(el);
    computed.set(el, cs);
    const parent = el === original ? undefined : computed.get(el.parentElement!);
    const decl = STYLE_PROPS.map((p) => [p, cs.getPropertyValue(p)] as const)
      .filter(([p, v]) => v !== '' && (!parent || parent.getPropertyValue(p) !== v))
      .map(([p, v]) => `${p}:${v}`)
      .join(';');
    if (decl) target.setAttribute('style', decl);
    else target.removeAttribute('style');
  });
}

export interface ExportSpec {
  title: string;
  legend: readonly SeriesStyle[];
  /** Extra lines under the charts (e.g. spectrum stats). */
  notes: readonly string[];
}

/** A standalone SVG document of the charts inside `body`. */
export function composeSvg(body: HTMLElement, spec: ExportSpec): { svg: string; width: number; height: number } {
  const surfaces = [...body.querySelectorAll<SVGSVGElement>('svg.recharts-surface')];
  const origin = body.getBoundingClientRect();
  const pad = 12;
  const legendRow = 18;
  const perRow = Math.max(1, Math.floor(Math.max(origin.width, 300) / 180));
  const legendRows = Math.ceil(spec.legend.length / perRow);
  const top = pad + 22 + legendRows * legendRow + 6;
  const width = Math.ceil(Math.max(origin.width, 300)) + 2 * pad;
  const parts: string[] = [];
  let chartsBottom = 0;
  for (const svg of surfaces) {
    const r = svg.getBoundingClientRect();
    const clone = svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(svg, clone);
    clone.setAttribute('x', String(pad + r.left - origin.left));
    clone.setAttribute('y', String(top + r.top - origin.top));
    clone.setAttribute('width', String(r.width));
    clone.setAttribute('height', String(r.height));
    parts.push(new XMLSerializer().serializeToString(clone));
    chartsBottom = Math.max(chartsBottom, r.bottom - origin.top);
  }
  const legend = spec.legend.map((s, i) => {
    const x = pad + (i % perRow) * 180;
    const y = pad + 22 + Math.floor(i / perRow) * legendRow;
    const swatch = s.dashed
      ? `<line x1="${x}" y1="${y + 5}" x2="${x + 14}" y2="${y + 5}" stroke="${s.color}" stroke-width="3" stroke-dasharray="4 2"/>`
      : `<rect x="${x}" y="${y + 3}" width="14" height="4" fill="${s.color}"/>`;
    return `${swatch}<text x="${x + 20}" y="${y + 9}" font-size="12" font-family="system-ui, sans-serif" fill="#333">${escapeXml(s.label)}</text>`;
  });
  const notesTop = top + chartsBottom + 16;
  const notes = spec.notes.map(
    (n, i) =>
      `<text x="${pad}" y="${notesTop + i * 16}" font-size="12" font-family="system-ui, sans-serif" fill="#333">${escapeXml(n)}</text>`,
  );
  const height = Math.ceil(notesTop + spec.notes.length * 16 + pad);
  const svg = [
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="${pad + 12}" font-size="15" font-weight="600" font-family="system-ui, sans-serif" fill="#1d1d1f">${escapeXml(spec.title)}</text>`,
    ...legend,
    ...parts,
    ...notes,
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}

/** The composed SVG drawn on a canvas at `scale` (sharp on high-DPI screens). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas to draw the PNG on');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
