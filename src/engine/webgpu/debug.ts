// DEBUG levels of the GPU compiler. 0: quiet. 1: a summary of every compiled program:
// its dispatches, each labelled with the graph op and tensor that recorded it, and its
// memory plan. 2: also the WGSL of each pipeline, once. Set by setDebugLevel (the CLI's
// --debug N, the page's ?debug=N) or the RISOTTO_DEBUG environment variable in Node.

import type { MemoryPlan } from './planner';
import type { PlanningSink } from './planningSink';

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let level = Number(env?.RISOTTO_DEBUG ?? 0) || 0;
// stderr in Node, so a command's JSON on stdout stays machine-readable.
let write: (text: string) => void = (text) => console.error(text);

/** `out` receives each program's description (default console.error). */
export function setDebugLevel(n: number, out?: (text: string) => void): void {
  if (!Number.isInteger(n) || n < 0 || n > 2) throw new RangeError(`debug level must be 0, 1 or 2, got ${n}`);
  level = n;
  if (out) write = out;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The plan summary (level 1) and shaders (level 2) of one compiled program. */
function describeProgram(label: string, sink: PlanningSink, plan: MemoryPlan, at = level): string {
  const dispatches = sink.items.flatMap((item, i) => (item.kind === 'dispatch' ? [{ i, item }] : []));
  const physical = plan.physicalBytes.reduce((a, b) => a + b, 0);
  const lines = [
    `[debug] program "${label}": ${sink.items.length} items (${dispatches.length} dispatches), ` +
      `${plan.physicalBytes.length} planned buffers, ${kb(physical)} (${kb(plan.naiveBytes)} without reuse)`,
  ];
  for (const { i, item } of dispatches) {
    const wg = item.d.workgroups.map((w) => w ?? 1).join('x');
    lines.push(`  #${i} ${item.label ?? '(unlabelled)'}: ${item.d.kernel.name} [${wg}] ${Object.keys(item.d.buffers).join(', ')}`);
  }
  if (at >= 2) {
    const seen = new Set<string>();
    for (const { item } of dispatches) {
      const k = item.d.kernel;
      if (seen.has(k.name)) continue;
      seen.add(k.name);
      lines.push(`--- WGSL of ${k.name} (entry ${k.entryPoint ?? 'main'}, constants ${JSON.stringify(k.constants ?? {})})`, k.code);
    }
  }
  return lines.join('\n');
}

/** Writes the description of a program when the level asks for it. */
export function debugProgram(label: string, sink: PlanningSink, plan: MemoryPlan): void {
  if (level > 0) write(describeProgram(label, sink, plan));
}
