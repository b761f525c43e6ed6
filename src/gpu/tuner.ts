// Per-adapter kernel choice. A kernel descriptor with several variants (tile shapes, a
// direct kernel) describes one call as a TunableOp; when tuning is on, each distinct
// (kind, shape) is timed once per variant on the actual device (queue-completion timing,
// best of a few runs) and the fastest is kept, in memory and in a TuneStore per adapter.
// With tuning off every op runs its fixed default. Not the place that defines variants.

import { pipelineSource } from './kernel';
import { CommandRecorder, type RecordedProgram, type RecorderContext } from './recorder';
import type { KernelSink, TunableOp, VariantChooser } from './sink';

export type { TunableOp } from './sink';

/** Where choices persist between sessions: a JSON file in Node, IndexedDB in a page. Both
 * calls are async so that either can sit behind them. */
export interface TuneStore {
  load(adapter: string): Promise<Record<string, string>>;
  save(adapter: string, choices: Record<string, string>): Promise<void>;
}

export function memoryTuneStore(): TuneStore & { data: Map<string, Record<string, string>> } {
  const data = new Map<string, Record<string, string>>();
  return {
    data,
    load: async (adapter) => ({ ...data.get(adapter) }),
    save: async (adapter, choices) => void data.set(adapter, { ...choices }),
  };
}

export interface TunerOptions {
  enabled: boolean;
  /** Identifies the adapter (vendor, architecture, device, driver description). */
  adapter: string;
  store?: TuneStore;
  /** Timed rounds over the variants after one warm-up run each (best run kept). */
  runs?: number;
}

/** Progress of the tuning phase: ops timed so far, of how many. */
export type TuneProgress = (done: number, total: number) => void;

/** A variant is dropped after a round in which its best run is slower than this multiple
 * of the best variant's. */
const GIVE_UP = 3;

export function opKey(op: Pick<TunableOp, 'kind' | 'shape'>): string {
  return `${op.kind} ${op.shape}`;
}

export class KernelTuner implements VariantChooser {
  readonly enabled: boolean;
  readonly adapter: string;
  private readonly chosen = new Map<string, string>();
  private readonly wanted = new Map<string, TunableOp>();
  private loaded?: Promise<void>;
  private running?: Promise<void>;
  /** Milliseconds measured per op and variant in this session (bench reports). */
  readonly timings = new Map<string, Record<string, number>>();

  constructor(
    private readonly ctx: RecorderContext,
    private readonly opts: TunerOptions,
  ) {
    this.enabled = opts.enabled;
    this.adapter = opts.adapter;
  }

  /** The variant to record: the tuned choice when there is one, else the default (and,
   * with tuning on, the op is remembered for the next tune()). */
  choose(op: TunableOp): string {
    const key = opKey(op);
    const hit = this.enabled ? this.chosen.get(key) : undefined;
    if (hit !== undefined && op.variants.includes(hit)) return hit;
    if (this.enabled && op.variants.length > 1) this.wanted.set(key, op);
    return op.default;
  }

  /** The choices known so far (tuned or loaded), by op key. */
  get choices(): ReadonlyMap<string, string> {
    return this.chosen;
  }

  /** Loads the stored choices for this adapter (once). */
  ready(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.enabled || !this.opts.store) return;
      for (const [k, v] of Object.entries(await this.opts.store.load(this.adapter))) if (!this.chosen.has(k)) this.chosen.set(k, v);
    })();
    return this.loaded;
  }

  /** Ops recorded since the last tune() that have no choice yet. */
  get pending(): TunableOp[] {
    return [...this.wanted.values()];
  }

  /** Times every pending op's variants, keeps the fastest, saves to the store. Calls
   * queue behind each other (several runs may compile at once): one that finds its ops
   * already taken by an earlier call resolves once that call has chosen them. */
  tune(onProgress?: TuneProgress): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.tunePending(onProgress));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async tunePending(onProgress?: TuneProgress): Promise<void> {
    await this.ready();
    const todo = this.pending.filter((op) => !this.chosen.has(opKey(op)));
    this.wanted.clear();
    if (todo.length === 0) return;
    onProgress?.(0, todo.length);
    for (const [i, op] of todo.entries()) {
      this.chosen.set(opKey(op), await this.timeOp(op));
      onProgress?.(i + 1, todo.length);
    }
    await this.opts.store?.save(this.adapter, Object.fromEntries(this.chosen));
  }

  private async timeOp(op: TunableOp): Promise<string> {
    const { device, pool, pipelines } = this.ctx;
    const bufs = op.buffers.map((bytes) => pool.acquire(Math.max(4, bytes), undefined, `tune:${op.kind}`));
    const programs: { variant: string; program: RecordedProgram }[] = [];
    const ms: Record<string, number> = {};
    try {
      // Compile every variant's pipelines at once, then time them.
      const recs = op.variants.map((variant) => {
        const rec = new CommandRecorder(this.ctx);
        op.record(rec, bufs, variant);
        return { variant, rec };
      });
      await pipelines.warm(recs.flatMap(({ rec }) => rec.dispatches().map((d) => pipelineSource(d.kernel))));
      for (const { variant, rec } of recs) programs.push({ variant, program: rec.record(`tune ${op.kind} ${variant}`) });
      const once = async (p: RecordedProgram) => {
        const t0 = performance.now();
        p.run();
        await device.queue.onSubmittedWorkDone();
        return performance.now() - t0;
      };
      // A warm-up run each keeps first-use costs out; then rounds over the variants in
      // turn, so that a change in machine load hits all of them alike; best run kept.
      for (const { program } of programs) await once(program);
      let alive = programs;
      for (let r = 0; r < (this.opts.runs ?? 3); r++) {
        for (const { variant, program } of alive) ms[variant] = Math.min(ms[variant] ?? Infinity, await once(program));
        const best = Math.min(...alive.map((p) => ms[p.variant]));
        alive = alive.filter((p) => ms[p.variant] <= GIVE_UP * best);
      }
    } finally {
      for (const { program } of programs) program.destroy();
      for (const b of bufs) pool.release(b);
    }
    this.timings.set(opKey(op), ms);
    return op.variants.reduce((a, b) => ((ms[b] ?? Infinity) < (ms[a] ?? Infinity) ? b : a), op.default);
  }
}

/** The variant a descriptor records: forced, else the sink's tuner's choice, else the default. */
export function pickVariant(sink: KernelSink, op: () => TunableOp, forced?: string): string {
  if (forced !== undefined) return forced;
  const t = op();
  return sink.tuner ? sink.tuner.choose(t) : t.default;
}
