// The compiler's fusion pass, backward half. A gradient is a buffer ops have written
// (possibly none yet) plus lazy terms: element-wise expressions (fusedExpr.ts) nothing
// has evaluated. ReLU's backward mask, the residual add's pass-through, a const scalar
// multiply and a scalar add's input gradient only add terms; BatchNorm's backward reads
// its dy as an expression inside its reduction and input-gradient kernels; any other op
// gets a buffer, evaluated when it asks (one fused dispatch, or none when the gradient is
// a single buffer). Terms never point at a buffer that is written afterwards: a gradient
// is complete when its tensor's producer reads it, and writes go to the tensor's own buffer.
// A conv's input gradient is recorded when its buffer is first read (or another op writes
// to it), not when the conv's backward runs: a train-mode BatchNorm whose dy reads that
// buffer then gets it with its backward sums written by the conv's epilogue
// (convGradStoreBnStats.wgsl), so it needs no reduction pass of its own.

import type { BufferRef } from '../../gpu';
import {
  windowOf,
  batchNormBackward,
  conv2dBackwardFilter,
  conv2dBackwardInput,
  gradEpilogueBindings,
  type GradBnStats,
  type GradEpilogue,
  type PrecomputedStats,
  BN_REDUCE_MAX_DY_BUFFERS,
  fusedElementwise,
  MAX_STORAGE_BINDINGS,
  exprBuffers,
  load,
  sameWindow,
  type FusedExpr,
} from '../../gpu';
import { numel, type Graph, type OpNode } from '../graph';
import { differentiable, type OpAttrs, type OpName } from '../ops';
import { channelsOf } from './fusion';
import { bnSaved, convShape, gpuOps, type GpuOp } from './opTable';
import { SplitKBatch } from './splitKBatch';
import type { PlanningSink } from './planningSink';

/** Buffers a lazy term may read: small enough that BatchNorm's reduction can take it. */
const TERM_BUDGET = BN_REDUCE_MAX_DY_BUFFERS;

const sum = (terms: FusedExpr[]): FusedExpr => terms.reduce((a, b) => ({ op: 'add', a, b }));

/** A conv input gradient not recorded yet: it writes `buf`; `record` records it with an
 * epilogue (gradient terms it adds in, BatchNorm backward sums it writes). */
interface PendingWrite {
  buf: BufferRef;
  label?: string;
  /** Lazy terms of the same gradient, absorbed: the conv adds them into buf. */
  terms?: FusedExpr;
  record(epi: GradEpilogue): PrecomputedStats | undefined;
}

class Gradients {
  private readonly buffer = new Map<number, BufferRef>();
  private readonly lazy = new Map<number, FusedExpr[]>();
  /** Writes not recorded yet, by the tensor whose gradient they write. */
  private readonly pending = new Map<number, PendingWrite>();

  constructor(
    private readonly k: PlanningSink,
    private readonly graph: Graph,
    private readonly owned: ReadonlyMap<number, BufferRef>,
    /** Storage buffers one dispatch may bind on this device. */
    private readonly maxStorage: number,
  ) {}

  has(id: number): boolean {
    return this.buffer.has(id) || this.lazy.has(id);
  }

  seed(id: number, b: BufferRef): void {
    this.buffer.set(id, b);
  }

  /** Records id's gradient write later, when its buffer is read or written next (from
   * target(id)). */
  defer(id: number, write: PendingWrite): void {
    if (this.pending.has(id)) throw new Error(`fusion: two pending writes to d(${this.graph.tensors[id].name})`);
    this.pending.set(id, write);
  }

  /** Records id's pending write, if any (with its absorbed terms, and `stats`). */
  private flush(id: number, stats?: GradBnStats): PrecomputedStats | undefined {
    const w = this.pending.get(id);
    if (!w) return undefined;
    this.pending.delete(id);
    const label = this.k.label;
    this.k.label = w.label;
    const pre = w.record({ terms: w.terms, stats });
    this.k.label = label;
    return pre;
  }

  /** When id's gradient has a pending write and lazy terms, moves the terms into that write
   * (its epilogue adds them), so the gradient is the one buffer; false when they do not fit. */
  private absorb(id: number): boolean {
    const w = this.pending.get(id);
    const lazy = this.lazy.get(id);
    if (!w || !lazy || w.buf !== this.buffer.get(id)) return false;
    const terms = sum([...(w.terms ? [w.terms] : []), ...lazy]);
    if ((gradEpilogueBindings({ terms }, w.buf) ?? Infinity) > this.maxStorage) return false;
    this.flushFor(terms);
    w.terms = terms;
    this.lazy.delete(id);
    return true;
  }

  /** Records the pending writes of every buffer `e` reads. */
  private flushFor(e: FusedExpr): void {
    for (const b of exprBuffers(e)) {
      for (const [id, w] of [...this.pending]) if (sameWindow(w.buf, b)) this.flush(id);
    }
  }

  /** Records every pending write (end of the backward pass). */
  flushAll(): void {
    for (const id of [...this.pending.keys()]) this.flush(id);
  }

  /**
   * For a train-mode BatchNorm backward reading `dy`: where dy reads a buffer whose write
   * is pending, records that write with the epilogue that sums dy and dy*xhat per channel
   * (x and coef: the BatchNorm's input and forward coef record) and returns those sums;
   * undefined when there is none or the epilogue would bind too many buffers. Either way,
   * every buffer dy reads is written when this returns.
   */
  statsFromProducer(dy: FusedExpr, bn: Omit<GradBnStats, 'dy'>): PrecomputedStats | undefined {
    const fits = (w: PendingWrite) =>
      (gradEpilogueBindings({ terms: w.terms, stats: { dy, ...bn } }, w.buf) ?? Infinity) <= this.maxStorage;
    const producer = [...this.pending].find(([, w]) => fits(w));
    if (!producer) {
      this.flushFor(dy);
      return undefined;
    }
    // The epilogue reads dy's other buffers: they are written first.
    for (const b of exprBuffers(dy)) {
      for (const [id, w] of [...this.pending]) if (id !== producer[0] && sameWindow(w.buf, b)) this.flush(id);
    }
    return this.flush(producer[0], { dy, ...bn });
  }

  /** Where an op writes id's gradient, and whether it adds to what is there. */
  target(id: number): { buf: BufferRef; acc: boolean } {
    this.flush(id);
    const b = this.buffer.get(id);
    if (b) return { buf: b, acc: true };
    const fresh = this.owned.get(id) ?? this.k.virtual(numel(this.graph.tensors[id].shape) * 4, `d(${this.graph.tensors[id].name})`);
    this.buffer.set(id, fresh);
    return { buf: fresh, acc: false };
  }

  /** Adds a lazy term; a caller-owned gradient is written at once. */
  add(id: number, e: FusedExpr): void {
    if (this.owned.has(id)) return this.write([e], this.target(id), id);
    this.lazy.set(id, [...(this.lazy.get(id) ?? []), e]);
  }

  /** id's gradient as an expression reading at most `budget` buffers. */
  expr(id: number, budget = TERM_BUDGET): FusedExpr {
    this.absorb(id);
    const b = this.buffer.get(id);
    const terms = [...(b ? [load(b)] : []), ...(this.lazy.get(id) ?? [])];
    const e = sum(terms);
    return exprBuffers(e).length <= budget ? e : load(this.read(id));
  }

  /** id's gradient in a buffer: the written one with the lazy terms added in, or the one
   * buffer a single load term reads. */
  read(id: number): BufferRef {
    this.absorb(id);
    const terms = this.lazy.get(id) ?? [];
    const b = this.buffer.get(id);
    if (terms.length === 0) {
      this.flush(id);
      return b!;
    }
    if (!b && terms.length === 1 && terms[0].op === 'load') {
      this.flushFor(terms[0]);
      return terms[0].buf;
    }
    this.lazy.delete(id);
    const t = this.target(id);
    this.write(terms, t, id);
    return t.buf;
  }

  /** Evaluates `terms` into `t`, as few dispatches as the binding limit allows. */
  private write(terms: FusedExpr[], t: { buf: BufferRef; acc: boolean }, id: number): void {
    const n = numel(this.graph.tensors[id].shape);
    const ch = channelsOf(this.graph.tensors[id].shape);
    let acc = t.acc;
    let group: FusedExpr[] = [];
    const flush = () => {
      if (group.length === 0) return;
      this.flushFor(sum(group));
      fusedElementwise(this.k, sum(group), t.buf, n, { ...ch, accumulate: acc });
      acc = true;
      group = [];
    };
    for (const e of terms) {
      if (group.length > 0 && exprBuffers(sum([...group, e])).length > MAX_STORAGE_BINDINGS - 1) flush();
      group.push(e);
    }
    flush();
  }
}

/** compile.ts's recordBackward with gradient fusion: the same gradients, fewer dispatches. */
export function recordBackwardFused(
  k: PlanningSink,
  graph: Graph,
  bw: { seeds: ReadonlyMap<number, GPUBuffer>; grads: ReadonlyMap<number, BufferRef> },
  forwardBuffer: (id: number) => BufferRef,
  saved: ReadonlyMap<number, GPUBuffer[]>,
  mode: 'train' | 'eval',
  folded: ReadonlySet<number>,
  maxStorage: number,
): void {
  const requires = new Set<number>(bw.grads.keys());
  for (const node of graph.nodes) {
    if (node.inputs.some((id, i) => differentiable(node.op, i) && requires.has(id))) requires.add(node.output);
  }
  const g = new Gradients(k, graph, bw.grads, maxStorage);
  for (const [id, seed] of bw.seeds) g.seed(id, seed);
  const splitK = new SplitKBatch(k);
  const name = (id: number) => graph.tensors[id].name;
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!requires.has(node.output) || !g.has(node.output)) continue;
    const want = node.inputs.map((id, j) => differentiable(node.op, j) && requires.has(id));
    k.label = `${node.op} backward -> d(${node.inputs
      .filter((_, j) => want[j])
      .map(name)
      .join(', ')})`;
    if (folded.has(i)) {
      if (want[0]) g.add(node.inputs[0], g.expr(node.output));
      continue;
    }
    if (lazyBackward(node, want, g, forwardBuffer)) continue;
    if (node.op === 'batchNorm' && mode === 'train') {
      batchNormFused(k, graph, node, want, g, forwardBuffer, saved.get(i)!, maxStorage);
      continue;
    }
    if (node.op === 'conv2d') {
      conv2dFused(k, graph, node, want, g, forwardBuffer, writtenOnce(graph, node.inputs[1], bw.grads) ? splitK : undefined);
      continue;
    }
    const grads = node.inputs.map((id, j) => (want[j] ? g.target(id) : null));
    (gpuOps[node.op] as GpuOp<OpAttrs[OpName]>).backward(
      k,
      {
        inputs: node.inputs.map(forwardBuffer),
        out: forwardBuffer(node.output),
        saved: saved.get(i)!,
        shapes: node.inputs.map((id) => graph.tensors[id].shape),
        outShape: graph.tensors[node.output].shape,
        mode,
        dOut: g.read(node.output),
        grads: grads.map((t) => t?.buf ?? null),
        acc: grads.map((t) => t?.acc ?? false),
      },
      node.attrs as never,
    );
  }
  g.flushAll();
  splitK.flush();
  for (const [id, target] of bw.grads) {
    if (g.has(id)) continue;
    const w = windowOf(target);
    k.clear(w.buffer, w.offset, w.size);
  }
}

/** Element-wise backwards that only add lazy terms; false when the node needs a real one. */
function lazyBackward(node: OpNode, want: boolean[], g: Gradients, forwardBuffer: (id: number) => BufferRef): boolean {
  const [a, b] = node.inputs;
  switch (node.op) {
    case 'relu':
      if (want[0]) g.add(a, { op: 'mask', g: g.expr(node.output, TERM_BUDGET - 1), by: load(forwardBuffer(node.output)) });
      return true;
    case 'add': {
      const e = g.expr(node.output);
      if (want[0]) g.add(a, e);
      if (want[1]) g.add(b, e);
      return true;
    }
    case 'scalarMul':
      if (want[1]) return false;
      if (want[0]) g.add(a, { op: 'mulScalar', a: g.expr(node.output, TERM_BUDGET - 1), s: forwardBuffer(b) });
      return true;
    case 'scalarAdd':
      if (want[1]) return false;
      if (want[0]) g.add(a, g.expr(node.output));
      return true;
    default:
      return false;
  }
}

/** Train-mode BatchNorm backward reading dy as an expression (e.g. ReLU's mask). */
function batchNormFused(
  k: PlanningSink,
  graph: Graph,
  node: OpNode,
  want: boolean[],
  g: Gradients,
  forwardBuffer: (id: number) => BufferRef,
  saved: GPUBuffer[],
  maxStorage: number,
): void {
  const [xId, gammaId, betaId] = node.inputs;
  const s = graph.tensors[xId].shape;
  const c = s[1];
  const dy = g.expr(node.output);
  const scratch = (n: number) => ({ buf: k.scratch(n * 4, 'unwantedGrad') as BufferRef, acc: false });
  const dx = want[0] ? g.target(xId) : scratch(numel(s));
  const dgamma = want[1] ? g.target(gammaId) : scratch(c);
  const dbeta = want[2] ? g.target(betaId) : scratch(c);
  if (dgamma.acc !== dbeta.acc) throw new Error('batchNorm: gamma and beta gradients must both accumulate or both overwrite');
  const p = { n: s[0], c, h: s[2], w: s[3], accumulate: dgamma.acc, accumulateDx: dx.acc };
  const x = forwardBuffer(xId);
  const fwd = bnSaved(saved);
  const pre = g.statsFromProducer(dy, { x, coef: fwd.coef });
  const dyArg = dy.op === 'load' ? dy.buf : dy;
  batchNormBackward(k, x, dyArg, fwd, dx.buf, dgamma.buf, dbeta.buf, { ...p, maxStorage }, pre);
}

/** Whether the gradient of `id` is a requested leaf that one node's backward writes once
 * and no backward step reads: its reduction may wait for the end of the backward. */
function writtenOnce(graph: Graph, id: number, grads: ReadonlyMap<number, BufferRef>): boolean {
  return grads.has(id) && !graph.nodes.some((n) => n.output === id) && graph.nodes.filter((n) => n.inputs.includes(id)).length === 1;
}

/** Conv backward: the filter gradient now (its split-K sum batched by `splitK` when
 * given), the input gradient deferred (Gradients.defer). */
function conv2dFused(
  k: PlanningSink,
  graph: Graph,
  node: OpNode,
  want: boolean[],
  g: Gradients,
  forwardBuffer: (id: number) => BufferRef,
  splitK?: SplitKBatch,
): void {
  const [xId, wId] = node.inputs;
  const s = convShape([graph.tensors[xId].shape, graph.tensors[wId].shape], node.attrs as OpAttrs['conv2d']);
  const dOut = g.read(node.output);
  const w = forwardBuffer(wId);
  if (want[1]) {
    const t = g.target(wId);
    conv2dBackwardFilter(k, forwardBuffer(xId), dOut, t.buf, s, { accumulate: t.acc, splitK });
  }
  if (want[0]) {
    const t = g.target(xId);
    g.defer(xId, {
      buf: t.buf,
      label: k.label,
      record: (epi) => conv2dBackwardInput(k, dOut, w, t.buf, s, { accumulate: t.acc, bnStats: epi.stats, terms: epi.terms }),
    });
  }
}
