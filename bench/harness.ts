// Timing helpers for benches: warm-up, repeated runs, median. Ratios between peers
// run in the same process on the same adapter are the result; absolute numbers on a
// software rasteriser mean little.

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

export async function time(fn: () => Promise<void>, opts: { warmup?: number; runs?: number; minMs?: number } = {}): Promise<Timing> {
  const warmup = opts.warmup ?? 1;
  const maxRuns = opts.runs ?? 5;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRuns) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    // Stop early on slow cases so a bench run stays within minutes on software GPUs.
    if (samples.length >= 2 && performance.now() - start > (opts.minMs ?? 4000)) break;
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], runs: samples.length };
}

export function gflops(flop: number, ms: number): number {
  return flop / (ms * 1e6);
}

export function fmt(x: number, digits = 3): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
