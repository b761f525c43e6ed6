// Runs a Graph on the float64 CPU op table: a forward pass that keeps what backward
// needs, and a reverse pass from arbitrary seeds (loss = [1] for training, a one-hot
// on any activation for a Jacobian row). The reference for the GPU path; no optimizer,
// no buffer planning.

import { numel, type Graph, type OpNode } from '../graph';
import { differentiable, type OpAttrs, type OpName } from '../ops';
import { cpuOps, type CpuMode, type CpuOp } from './opTable';

/** Every tensor's value by id (the caller's arrays for non-activations, so BatchNorm's
 * running-stat update lands in them) plus per-node saved data for runBackward. */
export class ForwardPass extends Map<number, Float64Array> {
  constructor(
    readonly graph: Graph,
    readonly mode: CpuMode,
    /** Indexed like graph.nodes. */
    readonly saved: (Float64Array[] | undefined)[] = [],
  ) {
    super();
  }

  /** The value of a tensor, with an error naming it when absent. */
  value(id: number): Float64Array {
    const v = this.get(id);
    if (!v) throw new Error(`no value for tensor ${this.graph.tensors[id]?.name ?? id}`);
    return v;
  }
}

// Each table entry is typed by its own attrs; a node carries the matching attrs by
// construction (GraphBuilder.op), which the union type cannot express.
function impl(op: OpName): CpuOp<OpAttrs[OpName]> {
  return cpuOps[op] as CpuOp<OpAttrs[OpName]>;
}

function checkLength(graph: Graph, id: number, v: Float64Array, what: string): void {
  const t = graph.tensors[id];
  if (!t) throw new Error(`${what}: tensor id ${id} is not in the graph`);
  if (v.length !== numel(t.shape)) throw new Error(`${what} ${t.name}: ${v.length} values for shape [${t.shape.join(',')}]`);
}

/** `values` must hold every input, label, param, state and const tensor. In train mode
 * BatchNorm updates the running stats in those very arrays. */
export function runForward(graph: Graph, values: Map<number, Float64Array>, mode: CpuMode): ForwardPass {
  const pass = new ForwardPass(graph, mode);
  for (const t of graph.tensors) {
    if (t.role === 'activation') continue;
    const v = values.get(t.id);
    if (!v) throw new Error(`runForward: missing value for ${t.role} tensor ${t.name}`);
    checkLength(graph, t.id, v, 'runForward: value of');
    pass.set(t.id, v);
  }
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((i) => pass.value(i));
    const shapes = node.inputs.map((i) => graph.tensors[i].shape);
    const { out, saved } = impl(node.op).forward(inputs, shapes, node.attrs, mode);
    checkLength(graph, node.output, out, `${node.op} output`);
    pass.set(node.output, out);
    pass.saved.push(saved);
  }
  return pass;
}

function addInto(grads: Map<number, Float64Array>, id: number, g: Float64Array): void {
  const acc = grads.get(id);
  if (!acc) {
    // Own a copy: seeds belong to the caller and op results may be shared later.
    grads.set(id, Float64Array.from(g));
    return;
  }
  for (let i = 0; i < acc.length; i++) acc[i] += g[i];
}

/** Tensors whose value depends, through differentiable inputs, on one of `from`. */
function downstreamOf(graph: Graph, from: readonly number[]): Set<number> {
  const reach = new Set(from);
  for (const node of graph.nodes) {
    if (node.inputs.some((i, k) => differentiable(node.op, k) && reach.has(i))) reach.add(node.output);
  }
  return reach;
}

/** Gradient of sum over seeds of <seed, tensor> with respect to tensors. Gradients from
 * every consumer of a tensor are summed (a residual input feeds skip and branch). With
 * `wrt`: exactly those ids (zeros where no path leads). Without: every tensor that
 * received a gradient, plus every param (zeros if unreached). */
export function runBackward(
  graph: Graph,
  forward: ForwardPass,
  seeds: Map<number, Float64Array>,
  wrt?: readonly number[],
): Map<number, Float64Array> {
  if (forward.graph !== graph) throw new Error('runBackward: the forward pass belongs to another graph');
  const grads = new Map<number, Float64Array>();
  for (const [id, seed] of seeds) {
    checkLength(graph, id, seed, 'runBackward: seed for');
    addInto(grads, id, seed);
  }
  const relevant = wrt ? downstreamOf(graph, wrt) : undefined;
  for (let n = graph.nodes.length - 1; n >= 0; n--) {
    const node: OpNode = graph.nodes[n];
    const dOut = grads.get(node.output);
    if (!dOut || (relevant && !relevant.has(node.output))) continue;
    const inputs = node.inputs.map((i) => forward.value(i));
    const shapes = node.inputs.map((i) => graph.tensors[i].shape);
    const g = impl(node.op).backward(dOut, inputs, forward.value(node.output), forward.saved[n], shapes, node.attrs);
    node.inputs.forEach((id, k) => {
      const gk = g[k];
      if (gk && differentiable(node.op, k)) addInto(grads, id, gk);
    });
  }
  const result = new Map<number, Float64Array>();
  const ids = wrt ?? [...grads.keys(), ...graph.tensors.filter((t) => t.role === 'param').map((t) => t.id)];
  for (const id of ids) result.set(id, grads.get(id) ?? new Float64Array(numel(graph.tensors[id].shape)));
  return result;
}

/** A CPU training step's gradients: forward, then backward from d loss = 1. */
export function lossAndGradients(
  graph: Graph,
  values: Map<number, Float64Array>,
  lossId: number,
  mode: CpuMode = 'train',
  wrt?: readonly number[],
): { loss: number; grads: Map<number, Float64Array>; forward: ForwardPass } {
  const forward = runForward(graph, values, mode);
  const grads = runBackward(graph, forward, new Map([[lossId, Float64Array.of(1)]]), wrt);
  return { loss: forward.value(lossId)[0], grads, forward };
}

/** Row `index` of the Jacobian d output / d wrt, i.e. the gradient of output[index]. */
export function jacobianRow(forward: ForwardPass, outputId: number, index: number, wrtId: number): Float64Array {
  const seed = new Float64Array(forward.value(outputId).length);
  if (index < 0 || index >= seed.length) throw new RangeError(`jacobianRow: index ${index} outside [0, ${seed.length})`);
  seed[index] = 1;
  return runBackward(forward.graph, forward, new Map([[outputId, seed]]), [wrtId]).get(wrtId)!;
}
