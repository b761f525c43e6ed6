// The compiler's fusion pass, forward half: which element-wise results never need a
// buffer of their own, and the expression each element-wise node computes. A chain such
// as BatchNorm apply -> (x * 1) -> + skip -> ReLU becomes one generated kernel
// (src/gpu/kernels/fusedElementwise.ts) that writes only the chain's last value; the
// backward half (fusedBackward.ts) does the same for gradients. Decided from the graph
// alone, for any model. The switch: CompileOptions.fusion, else setFusion(), else the
// RISOTTO_FUSION environment variable in Node ("0" = off); on by default.

import type { BufferRef, KernelSink } from '../../gpu';
import {
  batchNormPartialStats,
  batchNormStatsFinalize,
  batchNormStatsApply,
  channelApplyFits,
  conv2dForward,
  exprBuffers,
  exprNodes,
  fusedElementwise,
  load,
  MAX_STORAGE_BINDINGS,
  type FusedExpr,
  type PendingStats,
  type PrecomputedStats,
} from '../../gpu';
import type { Graph, OpNode, Shape } from '../graph';
import type { OpAttrs } from '../ops';
import { bnSaved, convShape } from './opTable';

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let fusionOn = env?.RISOTTO_FUSION !== '0';

/** Turns fusion on or off for programs compiled from now on (A/B runs, debugging). */
export function setFusion(on: boolean): void {
  fusionOn = on;
}

export function fusionEnabled(): boolean {
  return fusionOn;
}

/** Ops whose forward is element-wise over their output's shape (BatchNorm in train mode:
 * its apply, once the statistics are known). */
export function elementwiseForward(node: OpNode, mode: 'train' | 'eval'): boolean {
  return (
    node.op === 'relu' ||
    node.op === 'add' ||
    node.op === 'scalarMul' ||
    node.op === 'scalarAdd' ||
    (node.op === 'batchNorm' && mode === 'train')
  );
}

/** Whether `node` can take its input j as an expression: it is element-wise over it and
 * its backward does not read that input's value (ReLU reads its output, a learnable
 * scalar multiply reads x, BatchNorm reduces x). */
function takesExpression(graph: Graph, node: OpNode, j: number, backward: boolean): boolean {
  if (node.op === 'add') return true;
  if (node.op === 'relu' || node.op === 'scalarAdd') return j === 0;
  if (node.op === 'scalarMul') return j === 0 && !(backward && graph.tensors[node.inputs[1]].role === 'param');
  return false;
}

/** The tensors left as expressions: outputs of element-wise nodes that only one
 * element-wise node reads, that nothing outside the program reads, and whose value no
 * backward reads. */
export function planLazy(graph: Graph, mode: 'train' | 'eval', bound: ReadonlyMap<number, unknown>, backward: boolean): Set<number> {
  const readers = new Map<number, { node: OpNode; j: number }[]>();
  for (const node of graph.nodes) node.inputs.forEach((id, j) => readers.set(id, [...(readers.get(id) ?? []), { node, j }]));
  const lazy = new Set<number>();
  for (const node of graph.nodes) {
    const t = node.output;
    if (!elementwiseForward(node, mode) || bound.has(t)) continue;
    if (backward && node.op === 'relu') continue;
    const r = readers.get(t) ?? [];
    if (r.length === 1 && takesExpression(graph, r[0].node, r[0].j, backward)) lazy.add(t);
  }
  return lazy;
}

/** Conv nodes whose output only a train-mode BatchNorm reads, as its x: their epilogue
 * can write the statistics that BatchNorm needs, so it skips its own pass over x. */
export function planConvStats(graph: Graph, mode: 'train' | 'eval'): Set<number> {
  const out = new Set<number>();
  if (mode !== 'train') return out;
  graph.nodes.forEach((node, i) => {
    if (node.op !== 'conv2d') return;
    const readers = graph.nodes.filter((n) => n.inputs.includes(node.output));
    if (
      readers.length === 1 &&
      readers[0].op === 'batchNorm' &&
      readers[0].inputs.indexOf(node.output) === 0 &&
      readers[0].inputs.lastIndexOf(node.output) === 0
    )
      out.add(i);
  });
  return out;
}

/** A conv whose epilogue writes its BatchNorm's partial statistics (every variant can). */
export function convForwardWithStats(
  k: KernelSink,
  graph: Graph,
  node: OpNode,
  buffer: (id: number) => BufferRef,
): PrecomputedStats | undefined {
  const [x, w] = node.inputs;
  const shape = convShape([graph.tensors[x].shape, graph.tensors[w].shape], node.attrs as OpAttrs['conv2d']);
  return conv2dForward(k, buffer(x), buffer(w), buffer(node.output), shape, { bnStats: true });
}

/** Channels and plane size of a tensor for per-channel expressions (1 plane for [n, c]). */
export function channelsOf(shape: Shape): { c: number; hw: number } {
  return { c: shape[1] ?? 1, hw: shape.length === 4 ? shape[2] * shape[3] : 1 };
}

/** Input buffers a fused element-wise kernel may read (one binding is its output). */
const MAX_INPUTS = MAX_STORAGE_BINDINGS - 1;

/** Writes the forward expression e into `out` (an NCHW tensor of `n` values). The
 * statistics of the BatchNorms e applies are finalized here: one of them in the same
 * dispatch when the adapter's storage-buffer limit allows (channelApply.ts), the others
 * by their own finalize first. */
export function materializeExpr(
  k: KernelSink,
  e: FusedExpr,
  out: BufferRef,
  n: number,
  channels: { c: number; hw: number },
  maxStorage: number,
): void {
  // The BatchNorms of e whose statistics are not finalized yet.
  const pending = exprNodes(e).flatMap((b) => (b.op === 'bn' && b.stats ? [b.stats] : []));
  const merged = pending.find((st) => channelApplyFits('stats', e, st.coef, maxStorage));
  for (const st of pending) if (st !== merged) batchNormStatsFinalize(k, st);
  if (merged) batchNormStatsApply(k, merged, e, out, { n: n / (channels.c * channels.hw), ...channels });
  else fusedElementwise(k, e, out, n, channels);
}

/**
 * The expression of an element-wise node's output. `operand(id)` gives an input's
 * expression (a load of its buffer, or its lazy expression); `buffer(id)` a buffer,
 * materializing it if needed. BatchNorm records its statistics here (from `pre` when a
 * conv epilogue already summed them). Operands are materialized when the expression would
 * read more buffers than one dispatch may bind.
 */
export function forwardExpression(
  k: KernelSink,
  graph: Graph,
  node: OpNode,
  saved: GPUBuffer[],
  operand: (id: number) => FusedExpr,
  buffer: (id: number) => BufferRef,
  pre?: PrecomputedStats,
): FusedExpr {
  let stats: PendingStats | undefined;
  if (node.op === 'batchNorm') {
    const [x, gamma, beta, rm, rv] = node.inputs.map(buffer);
    const s = graph.tensors[node.inputs[0]].shape;
    const a = node.attrs as OpAttrs['batchNorm'];
    const p = { n: s[0], c: s[1], h: s[2], w: s[3], eps: a.eps, momentum: a.momentum };
    stats = batchNormPartialStats(k, x, gamma, beta, bnSaved(saved), rm, rv, p, pre);
  }
  const build = (arg: (id: number) => FusedExpr): FusedExpr => {
    const [a, b] = node.inputs;
    switch (node.op) {
      case 'relu':
        return { op: 'relu', a: arg(a) };
      case 'add':
        return { op: 'add', a: arg(a), b: arg(b) };
      case 'scalarMul':
        return { op: 'mulScalar', a: arg(a), s: buffer(b) };
      case 'scalarAdd':
        return { op: 'addScalar', a: arg(a), s: buffer(b) };
      case 'batchNorm':
        return { op: 'bn', a: load(buffer(a)), coef: bnSaved(saved).coef, stats };
      default:
        throw new Error(`fusion: ${node.op} is not element-wise`);
    }
  };
  const e = build(operand);
  return exprBuffers(e).length <= MAX_INPUTS ? e : build((id) => load(buffer(id)));
}
