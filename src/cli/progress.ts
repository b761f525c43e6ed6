// A one-line progress bar with ETA for terminals (stderr); plain lines when not a TTY.

export interface ProgressInfo {
  step: number;
  total: number;
  etaSeconds: number;
  stepsPerSecond: number;
  note: string;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function renderBar(p: ProgressInfo, width = 28): string {
  const frac = p.total > 0 ? Math.min(1, p.step / p.total) : 0;
  const filled = Math.round(frac * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
  return `[${bar}] ${pct} ${p.step}/${p.total} steps, ${p.stepsPerSecond.toFixed(2)} steps/s, ETA ${formatDuration(p.etaSeconds)}  ${p.note}`;
}

export class ProgressLine {
  private lastPlain = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(p: ProgressInfo): void {
    const line = renderBar(p);
    if (this.out.isTTY) {
      this.out.write(`\r${line.slice(0, (this.out.columns || 120) - 1).padEnd((this.out.columns || 120) - 1)}`);
      return;
    }
    // Not a terminal (CI, pipes): a plain line every 10% or so.
    const bucket = Math.floor((10 * p.step) / Math.max(1, p.total));
    if (bucket > this.lastPlain || p.step === p.total) {
      this.lastPlain = bucket;
      this.out.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
