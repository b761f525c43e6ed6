// The compiler's fusion pass, backward half. A gradient is a buffer ops have written
// (possibly none yet) plus lazy terms: element-wise expressions (fusedExpr.ts) nothing
// has evaluated. ReLU's backward mask, the residual add's pass-through, a const scalar
// multiply and a scalar add's input gradient only add terms; BatchNorm's backward reads
// its dy as an expression inside its reduction and input-gradient kernels; any other op
// gets a buffer, evaluated when it asks (one fused dispatch, or none when the gradient is
// a single buffer). Terms never point at a buffer that is written afterwards: a gradient
// is complete when its tensor's producer reads it, and writes go to the tensor's own buffer.

import type { BufferRef } from '../../gpu';
import { windowOf } from '../../gpu';
import { batchNormBackward } from '../../gpu';
import { BN_REDUCE_MAX_DY_BUFFERS } from '../../gpu';
import { fusedElementwise, MAX_STORAGE_BINDINGS } from '../../gpu';
import { exprBuffers, load, type FusedExpr } from '../../gpu';
import { numel, type Graph, type OpNode } from '../graph';
import { differentiable, type OpAttrs, type OpName } from '../ops';
import { channelsOf } from './fusion';
import { gpuOps, type GpuOp } from './opTable';
import type { PlanningSink } from './planningSink';

/** Buffers a lazy term may read: small enough that BatchNorm's reduction can take it. */
const TERM_BUDGET = BN_REDUCE_MAX_DY_BUFFERS;

const sum = (terms: FusedExpr[]): FusedExpr => terms.reduce((a, b) => ({ op: 'add', a, b }));

class Gradients {
  private readonly buffer = new Map<number, BufferRef>();
  private readonly lazy = new Map<number, FusedExpr[]>();

  constructor(
    private readonly k: PlanningSink,
    private readonly graph: Graph,
    private readonly owned: ReadonlyMap<number, BufferRef>,
  ) {}

  has(id: number): boolean {
    return this.buffer.has(id) || this.lazy.has(id);
  }

  seed(id: number, b: BufferRef): void {
    this.buffer.set(id, b);
  }

  /** Where an op writes id's gradient, and whether it adds to what is there. */
  target(id: number): { buf: BufferRef; acc: boolean } {
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
    const b = this.buffer.get(id);
    const terms = [...(b ? [load(b)] : []), ...(this.lazy.get(id) ?? [])];
    const e = sum(terms);
    return exprBuffers(e).length <= budget ? e : load(this.read(id));
  }

  /** id's gradient in a buffer: the written one with the lazy terms added in, or the one
   * buffer a single load term reads. */
  read(id: number): BufferRef {
    const terms = this.lazy.get(id) ?? [];
    const b = this.buffer.get(id);
    if (terms.length === 0) return b!;
    if (!b && terms.length === 1 && terms[0].op === 'load') return terms[0].buf;
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
): void {
  const requires = new Set<number>(bw.grads.keys());
  for (const node of graph.nodes) {
    if (node.inputs.some((id, i) => differentiable(node.op, i) && requires.has(id))) requires.add(node.output);
  }
  const g = new Gradients(k, graph, bw.grads);
  for (const [id, seed] of bw.seeds) g.seed(id, seed);
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
      batchNormFused(k, graph, node, want, g, forwardBuffer, saved.get(i)!);
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
  const dyArg = dy.op === 'load' ? dy.buf : dy;
  batchNormBackward(k, forwardBuffer(xId), dyArg, forwardBuffer(gammaId), saved[0], saved[1], dx.buf, dgamma.buf, dbeta.buf, p);
}
