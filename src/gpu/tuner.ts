// Per-adapter kernel choice. A kernel descriptor with several variants (tile shapes, a
// direct kernel) describes one call as a TunableOp; when tuning is on, each distinct
// (kind, shape) is timed once per variant on the actual device (queue-completion timing,
// best of a few runs) and the fastest is kept, in memory and in a TuneStore per adapter.
// A choice's key carries a hash of its variants' kernels (WGSL, entry point, constants),
// so a change to a kernel makes its stored timings stale: they are ignored, then replaced.
// With tuning off every op runs its fixed default. Not the place that defines variants.

import { textHash } from '../util';
import { pipelineSource } from './kernel';
import { CommandRecorder, type RecordedProgram, type RecorderContext } from './recorder';
import type { KernelSink, TunableOp, VariantChooser } from './sink';

export type { TunableOp } from './sink';

/** Chosen variants by op key (see opKey). */
export type Choices = Record<string, string>;

/** Where choices persist between sessions: a JSON file in Node (nodeTuneStore.ts),
 * IndexedDB in a page or Worker (browserTuneStore.ts). Both calls are async so that
 * either can sit behind them. `load` returns only well-formed entries (cleanChoices);
 * `save` adds or replaces the given ones and drops any entry for the same kind and shape
 * under another code hash (mergeChoices); the adapter's other entries stay. */
export interface TuneStore {
  load(adapter: string): Promise<Choices>;
  save(adapter: string, choices: Choices): Promise<void>;
}

export function memoryTuneStore(): TuneStore & { data: Map<string, Choices> } {
  const data = new Map<string, Choices>();
  return {
    data,
    load: async (adapter) => cleanChoices(data.get(adapter)),
    save: async (adapter, choices) => void data.set(adapter, mergeChoices(data.get(adapter) ?? {}, choices)),
  };
}

/** `<kind> <shape> #<16 hex digits>`: what a stored choice's key looks like. */
const KEY_RE = /^\S+ \S.* #[0-9a-f]{16}$/;
/** Longer than any variant name; a longer value is not one. */
const MAX_VARIANT = 64;

/** The entries of a stored record worth keeping: keys of today's form (with a code hash)
 * mapped to a variant name. Anything else (a file from before the hash, a hand edit, a
 * value of the wrong type) is dropped, never an error: the store is only a cache. */
export function cleanChoices(raw: unknown): Choices {
  const out: Choices = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw))
    if (KEY_RE.test(k) && typeof v === 'string' && v.length > 0 && v.length <= MAX_VARIANT) out[k] = v;
  return out;
}

/** The op a key names without its code hash: `<kind> <shape>`. */
function baseOf(key: string): string {
  return key.slice(0, key.lastIndexOf(' #'));
}

/** `stored` with `fresh` written over it: entries for the same kind and shape under
 * another code hash (timed with kernels since changed) go; the rest stay. */
export function mergeChoices(stored: unknown, fresh: Choices): Choices {
  const add = cleanChoices(fresh);
  const replaced = new Set(Object.keys(add).map(baseOf));
  const kept = Object.entries(cleanChoices(stored)).filter(([k]) => !replaced.has(baseOf(k)));
  return { ...Object.fromEntries(kept), ...add };
}

export interface TunerOptions {
  enabled: boolean;
  /** Identifies the adapter (vendor, architecture, device, driver description). */
  adapter: string;
  /** A software rasteriser: untimed ops run their `softwareDefault` where they have one. */
  software?: boolean;
  store?: TuneStore;
  /** Timed rounds over the variants after one warm-up run each (best run kept). */
  runs?: number;
}

/** Progress of the tuning phase: ops timed so far, of how many. */
export type TuneProgress = (done: number, total: number) => void;

/** A variant is dropped after a round in which its best run is slower than this multiple
 * of the best variant's. */
const GIVE_UP = 3;

const hashes = new Map<string, string>();

/** The op's cache key: kind, shape and a hash of what its variants run (every dispatch's
 * kernel name, entry point, constants and WGSL, per variant), so that editing a kernel
 * invalidates the timings taken with the old one. Recorded once per kind and shape on a
 * sink that only collects (no GPU), then remembered. */
export function opKey(op: TunableOp): string {
  const base = `${op.kind} ${op.shape}`;
  let hash = hashes.get(base);
  if (hash === undefined) {
    hash = variantsHash(op);
    hashes.set(base, hash);
  }
  return `${base} #${hash}`;
}

/** The hash in opKey, computed afresh. */
export function variantsHash(op: TunableOp): string {
  return textHash(variantSources(op));
}

function variantSources(op: TunableOp): string {
  const parts: string[] = [];
  const stand = (bytes: number) => ({ size: bytes, label: 'tune:hash' }) as unknown as GPUBuffer;
  const sink: KernelSink = {
    dispatch(d) {
      const k = d.kernel;
      const constants = Object.entries(k.constants ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      parts.push(`${k.name} ${k.entryPoint ?? 'main'} ${JSON.stringify(constants)}`, k.code);
    },
    copy: () => undefined,
    clear: () => undefined,
    scratch: stand,
  };
  for (const v of op.variants) {
    parts.push(`variant ${v}`);
    op.record(sink, op.buffers.map(stand), v);
  }
  return parts.join('\n');
}

export class KernelTuner implements VariantChooser {
  /** Off: every op runs its default. The lab turns it on and off between runs. */
  enabled: boolean;
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
    if (!this.enabled || op.variants.length < 2) return this.fixed(op);
    const hit = this.known(op);
    if (hit !== undefined) return hit;
    this.wanted.set(opKey(op), op);
    return this.fixed(op);
  }

  /** The op's fixed choice on this adapter: its software default on a software rasteriser. */
  fixed(op: TunableOp): string {
    return (this.opts.software && op.softwareDefault) || op.default;
  }

  /** The op's choice when there is one it offers (a stored variant it does not offer is
   * no choice: the op is timed again). */
  known(op: TunableOp): string | undefined {
    const hit = this.chosen.get(opKey(op));
    return hit !== undefined && op.variants.includes(hit) ? hit : undefined;
  }

  /** The choices known so far (tuned or loaded), by op key. */
  get choices(): ReadonlyMap<string, string> {
    return this.chosen;
  }

  /** Loads the stored choices for this adapter (once, when tuning is first on). A store
   * that cannot be read counts as empty. */
  ready(): Promise<void> {
    const store = this.opts.store;
    if (!this.enabled || !store) return Promise.resolve();
    this.loaded ??= store.load(this.adapter).then(
      (stored) => {
        for (const [k, v] of Object.entries(cleanChoices(stored))) if (!this.chosen.has(k)) this.chosen.set(k, v);
      },
      () => undefined,
    );
    return this.loaded;
  }

  /** Ops recorded since the last tune() that have no choice yet. */
  get pending(): TunableOp[] {
    return [...this.wanted.values()];
  }

  /** Times every pending op's variants, keeps the fastest, saves to the store. Calls
   * queue behind each other (several runs may compile at once): one that finds its ops
   * already taken by an earlier call resolves once that call has chosen them. */
  tune(onProgress?: TuneProgress): Promise<number> {
    const run = (this.running ?? Promise.resolve()).then(() => this.tunePending(onProgress));
    this.running = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Times the pending ops; returns how many. The new choices go to the store (a store
   * that cannot be written is left as it is: the choices still hold for this session). */
  private async tunePending(onProgress?: TuneProgress): Promise<number> {
    await this.ready();
    const todo = this.pending.filter((op) => this.known(op) === undefined);
    this.wanted.clear();
    if (todo.length === 0) return 0;
    onProgress?.(0, todo.length);
    const fresh: Choices = {};
    for (const [i, op] of todo.entries()) {
      const key = opKey(op);
      fresh[key] = await this.timeOp(op);
      this.chosen.set(key, fresh[key]);
      onProgress?.(i + 1, todo.length);
    }
    await this.opts.store?.save(this.adapter, fresh).catch(() => undefined);
    return todo.length;
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
    return op.variants.reduce((a, b) => ((ms[b] ?? Infinity) < (ms[a] ?? Infinity) ? b : a), this.fixed(op));
  }
}

/** The variant a descriptor records: forced, else the sink's tuner's choice, else the default. */
export function pickVariant(sink: KernelSink, op: () => TunableOp, forced?: string): string {
  if (forced !== undefined) return forced;
  const t = op();
  return sink.tuner ? sink.tuner.choose(t) : t.default;
}
