// Compiles a Graph into one replayable GPU program: forward (train or eval mode), an
// optional reverse pass from seed gradients, and an epilogue (optimizer updates,
// metrics). Activations, gradients and scratch are virtual buffers whose memory is
// planned by lifetime; tensors that live across steps are bound to real buffers.

import {
  pipelineSource,
  windowOf,
  type BufferRef,
  opKey,
  type KernelTuner,
  accumulate,
  MAX_STORAGE_BINDINGS,
  load,
  type FusedExpr,
} from '../../gpu';
import type { KernelSink, RecorderContext, BufferPool, VariantChooser, PrecomputedStats } from '../../gpu';
import { numel, type Graph } from '../graph';
import { differentiable, type OpAttrs, type OpName } from '../ops';
import { gpuOps, type GpuOp } from './opTable';
import { realize, type PlannedProgram } from './planner';
import { itemBuffers, PlanningSink } from './planningSink';
import {
  channelsOf,
  convForwardWithStats,
  elementwiseForward,
  forwardExpression,
  fusionEnabled,
  materializeExpr,
  planConvStats,
  planLazy,
} from './fusion';
import { recordBackwardFused } from './fusedBackward';
import { debugProgram } from './debug';

export interface CompileOptions {
  graph: Graph;
  mode: 'train' | 'eval';
  /** Real buffers for tensors that outlive the program (inputs, labels, params,
   * consts, state, and any activation the caller reads afterwards). */
  bound: ReadonlyMap<number, BufferRef>;
  backward?: {
    /** dOut buffers for these tensors (e.g. [1.0] for the loss). */
    seeds: ReadonlyMap<number, GPUBuffer>;
    /** Where the gradients of these tensors go (params, or the input for Jacobians). */
    grads: ReadonlyMap<number, BufferRef>;
  };
  /** Recorded after everything else, into the same program. */
  epilogue?: (k: KernelSink) => void;
  /** Const scalar tensors known to hold exactly 1 (e.g. a fixed a_res = a_skip = 1):
   * multiplying by them is folded away, forward and backward. */
  identityScalars?: ReadonlySet<number>;
  /** Fuse element-wise chains into generated kernels (fusion.ts); default fusionEnabled(). */
  fusion?: boolean;
  label: string;
}

export interface CompiledProgram extends PlannedProgram {
  dispatchCount: number;
  /** With tuning on (compileGraphAsync): the op keys (kind, shape, code hash) of the
   * program's kernels with variants, and those of them that had no choice yet and were
   * timed for it; the others came from the store or an earlier compile. */
  kernelChoice?: KernelChoiceStats;
}

export interface KernelChoiceStats {
  ops: string[];
  timed: string[];
}

function opOf<K extends OpName>(name: K): GpuOp<OpAttrs[K]> {
  return gpuOps[name] as GpuOp<OpAttrs[K]>;
}

/** What compiling needs: a recorder's context and, for per-adapter kernel choice, a tuner. */
export type CompileContext = RecorderContext & { pool: BufferPool; tuner?: KernelTuner };

/** Synchronous: kernels with variants use the choices the tuner already has (or defaults). */
export function compileGraph(ctx: CompileContext, opts: CompileOptions): CompiledProgram {
  return finish(ctx, recordGraph(opts, ctx.limits, ctx.tuner), opts.label);
}

/** What happens before the first step: timing kernel variants per shape (only with tuning
 * on, and only for shapes not tuned before), then compiling the pipelines. */
export type CompilePhase = 'tuning' | 'pipelines';

/** Progress of a phase: ops timed or pipelines compiled so far, of how many new ones. */
export type CompileProgress = (done: number, total: number, phase: CompilePhase) => void;

/** compileGraph, but with tuning on each new (kernel kind, shape) is first timed per
 * variant on this device and the fastest recorded; then every pipeline the program needs
 * is compiled asynchronously (createComputePipelineAsync, `concurrency` at a time, default
 * all), with progress; nothing blocks the thread. */
export async function compileGraphAsync(
  ctx: CompileContext,
  opts: CompileOptions,
  onProgress?: CompileProgress,
  concurrency?: number,
): Promise<CompiledProgram> {
  const tuner = ctx.tuner?.enabled ? ctx.tuner : undefined;
  if (!tuner) {
    const sink = recordGraph(opts, ctx.limits, ctx.tuner);
    await warm(ctx, sink, onProgress, concurrency);
    return finish(ctx, sink, opts.label);
  }
  await tuner.ready();
  // The first recording notes the program's ops with variants (and, in the tuner, those
  // without a choice); after timing those, the second records the choices.
  const ops = new Set<string>();
  const untimed = new Set<string>();
  const noting: VariantChooser = {
    choose(op) {
      if (op.variants.length > 1) ops.add(opKey(op));
      if (op.variants.length > 1 && tuner.known(op) === undefined) untimed.add(opKey(op));
      return tuner.choose(op);
    },
  };
  let sink = recordGraph(opts, ctx.limits, noting);
  if (tuner.pending.length > 0) {
    await tuner.tune((done, total) => onProgress?.(done, total, 'tuning'));
    sink = recordGraph(opts, ctx.limits, tuner);
  }
  await warm(ctx, sink, onProgress, concurrency);
  return { ...finish(ctx, sink, opts.label), kernelChoice: { ops: [...ops], timed: [...untimed] } };
}

function warm(ctx: CompileContext, sink: PlanningSink, onProgress?: CompileProgress, concurrency?: number): Promise<void> {
  const sources = sink.items.flatMap((i) => (i.kind === 'dispatch' ? [pipelineSource(i.d.kernel)] : []));
  return ctx.pipelines.warm(sources, (done, total) => onProgress?.(done, total, 'pipelines'), concurrency);
}

function finish(ctx: CompileContext, k: PlanningSink, label: string): CompiledProgram {
  const planned = realize(ctx, k, label);
  debugProgram(label, k, planned.plan);
  return { ...planned, dispatchCount: planned.program.dispatchCount };
}

/** Records the program's dispatches against virtual buffers (no GPU work yet). */
function recordGraph(opts: CompileOptions, limits: GPUSupportedLimits, tuner?: VariantChooser): PlanningSink {
  const { graph, bound } = opts;
  const k = new PlanningSink(tuner);
  const buf = new Map<number, BufferRef>(bound);
  const shapeOf = (id: number) => graph.tensors[id].shape;
  const bytesOf = (id: number) => numel(shapeOf(id)) * 4;
  const need = (id: number): BufferRef => {
    const b = buf.get(id);
    if (!b) throw new Error(`${opts.label}: tensor ${graph.tensors[id].name} (${graph.tensors[id].role}) has no buffer; bind it`);
    return b;
  };

  const fuse = opts.fusion ?? fusionEnabled();
  const lazyPlan = fuse ? planLazy(graph, opts.mode, bound, opts.backward !== undefined) : new Set<number>();
  const statsConvs = fuse ? planConvStats(graph, opts.mode) : new Set<number>();
  // BatchNorm statistics a conv epilogue wrote, by the conv's output tensor.
  const preStats = new Map<number, PrecomputedStats>();
  // Element-wise results kept as expressions (fusion): evaluated by the kernel that reads them.
  const exprs = new Map<number, FusedExpr>();
  const materialize = (id: number, e: FusedExpr): BufferRef => {
    if (!buf.has(id)) buf.set(id, k.virtual(bytesOf(id), graph.tensors[id].name));
    materializeExpr(k, e, buf.get(id)!, numel(shapeOf(id)), channelsOf(shapeOf(id)), limits.maxStorageBuffersPerShaderStage);
    return buf.get(id)!;
  };
  const get = (id: number): BufferRef => {
    const e = buf.has(id) ? undefined : exprs.get(id);
    return e ? materialize(id, e) : need(id);
  };
  const operand = (id: number): FusedExpr => (buf.has(id) ? load(buf.get(id)!) : (exprs.get(id) ?? load(get(id))));

  const saved = new Map<number, GPUBuffer[]>();
  const folded = new Set<number>();
  graph.nodes.forEach((node, i) => {
    if (node.op === 'scalarMul' && opts.identityScalars?.has(node.inputs[1]) && !buf.has(node.output)) {
      // x * 1: the output is the input's buffer or expression (no op writes in place, so sharing is safe).
      const e = buf.has(node.inputs[0]) ? undefined : exprs.get(node.inputs[0]);
      if (!e) buf.set(node.output, get(node.inputs[0]));
      else if (lazyPlan.has(node.output)) exprs.set(node.output, e);
      else materialize(node.output, e);
      folded.add(i);
      return;
    }
    const op = opOf(node.op);
    const shapes = node.inputs.map(shapeOf);
    const keep = (op.saved?.(shapes, node.attrs as never) ?? []).map((n, j) =>
      k.virtual(n * 4, `${graph.tensors[node.output].name}:saved${j}`),
    );
    saved.set(i, keep);
    k.label = `${node.op} -> ${graph.tensors[node.output].name}`;
    if (fuse && elementwiseForward(node, opts.mode)) {
      const e = forwardExpression(k, graph, node, keep, operand, get, preStats.get(node.inputs[0]));
      if (lazyPlan.has(node.output)) exprs.set(node.output, e);
      else materialize(node.output, e);
      return;
    }
    if (!buf.has(node.output)) buf.set(node.output, k.virtual(bytesOf(node.output), graph.tensors[node.output].name));
    if (statsConvs.has(i)) {
      const pre = convForwardWithStats(k, graph, node, get);
      if (pre) preStats.set(node.output, pre);
      return;
    }
    op.forward(
      k,
      { inputs: node.inputs.map(get), out: get(node.output), saved: keep, shapes, outShape: shapeOf(node.output), mode: opts.mode },
      node.attrs as never,
    );
  });

  if (opts.backward && fuse) {
    // A tensor left as an expression has no buffer; by planLazy no backward reads it.
    const unread = k.virtual(4, 'fusion:unmaterialized');
    const maxStorage = limits?.maxStorageBuffersPerShaderStage ?? MAX_STORAGE_BINDINGS;
    recordBackwardFused(k, graph, opts.backward, (id) => buf.get(id) ?? unread, saved, opts.mode, folded, maxStorage);
    if (k.items.some((it) => itemBuffers(it).includes(unread)))
      throw new Error(`${opts.label}: fusion left a tensor a backward reads unmaterialized`);
  } else if (opts.backward) recordBackward(k, graph, opts.backward, buf, saved, opts.label, opts.mode, folded);
  k.label = 'epilogue';
  opts.epilogue?.(k);
  return k;
}

function recordBackward(
  k: PlanningSink,
  graph: Graph,
  bw: NonNullable<CompileOptions['backward']>,
  buf: ReadonlyMap<number, BufferRef>,
  saved: ReadonlyMap<number, GPUBuffer[]>,
  label: string,
  mode: CompileOptions['mode'],
  folded: ReadonlySet<number> = new Set(),
): void {
  // A tensor needs a gradient when one of the wanted gradients depends on it.
  const requires = new Set<number>(bw.grads.keys());
  for (const node of graph.nodes) {
    if (node.inputs.some((id, i) => differentiable(node.op, i) && requires.has(id))) requires.add(node.output);
  }
  const grad = new Map<number, BufferRef>(bw.grads);
  const written = new Set<number>();
  for (const [id, seed] of bw.seeds) {
    grad.set(id, seed);
    written.add(id);
  }
  const gradOf = (id: number) => {
    let g = grad.get(id);
    if (!g) {
      g = k.virtual(numel(graph.tensors[id].shape) * 4, `d(${graph.tensors[id].name})`);
      grad.set(id, g);
    }
    return g;
  };
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!requires.has(node.output) || !written.has(node.output)) continue;
    if (folded.has(i)) {
      k.label = `folded x*1 backward -> d(${graph.tensors[node.inputs[0]].name})`;
      foldedBackward(
        k,
        node.inputs[0],
        numel(graph.tensors[node.inputs[0]].shape),
        grad.get(node.output)!,
        requires,
        grad,
        written,
        bw.grads,
      );
      continue;
    }
    const want = node.inputs.map((id, j) => differentiable(node.op, j) && requires.has(id));
    const grads = node.inputs.map((id, j) => (want[j] ? gradOf(id) : null));
    const acc = node.inputs.map((id) => written.has(id));
    const shapes = node.inputs.map((id) => graph.tensors[id].shape);
    const get = (id: number) => buf.get(id) ?? fail(`${label}: missing forward buffer for ${graph.tensors[id].name}`);
    k.label = `${node.op} backward -> d(${node.inputs
      .filter((_, j) => want[j])
      .map((id) => graph.tensors[id].name)
      .join(', ')})`;
    opOf(node.op).backward(
      k,
      {
        inputs: node.inputs.map(get),
        out: get(node.output),
        saved: saved.get(i)!,
        shapes,
        outShape: graph.tensors[node.output].shape,
        mode,
        dOut: grad.get(node.output)!,
        grads,
        acc,
      },
      node.attrs as never,
    );
    node.inputs.forEach((id, j) => want[j] && written.add(id));
  }
  // A wanted gradient nothing flowed into is zero, not stale memory.
  for (const [id, target] of bw.grads) {
    if (written.has(id)) continue;
    const w = windowOf(target);
    k.clear(w.buffer, w.offset, w.size);
  }
}

/** Backward of a folded x * 1: the input's gradient is dOut, shared when nothing has
 * written the input's gradient yet and it is not a caller-owned buffer. */
function foldedBackward(
  k: PlanningSink,
  input: number,
  n: number,
  dOut: BufferRef,
  requires: ReadonlySet<number>,
  grad: Map<number, BufferRef>,
  written: Set<number>,
  owned: ReadonlyMap<number, BufferRef>,
): void {
  if (!requires.has(input)) return;
  if (!written.has(input) && !owned.has(input)) grad.set(input, dOut);
  else {
    const target = grad.get(input) ?? owned.get(input)!;
    if (written.has(input)) accumulate(k, dOut, target, n);
    else {
      const t = windowOf(target);
      const s = windowOf(dOut);
      k.copy(s.buffer, s.offset, t.buffer, t.offset, n * 4);
    }
  }
  written.add(input);
}

function fail(msg: string): never {
  throw new Error(msg);
}
