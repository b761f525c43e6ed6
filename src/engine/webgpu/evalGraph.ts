// Shared pieces of the eval-mode probes (Jacobian rows, activation readback): the part of
// a graph some tensors depend on, and pooled buffers holding the values of its params,
// consts and state. Training lives in trainSession.ts, not here.

import type { GpuContext } from '../../gpu';
import { uploadArray } from '../../gpu';
import { numel, type Graph } from '../graph';

/** Values of non-activation tensors, float32 or float64 (rounded to float32 on upload). */
export type TensorValues = ReadonlyMap<number, Float32Array | Float64Array>;

/** The nodes `targets` depend on, in execution order (the head and loss are dropped, so
 * labels need no buffer and no work is wasted past the targets). */
export function subgraphFor(graph: Graph, targets: readonly number[]): Graph {
  const needed = new Set(targets);
  const keep: boolean[] = new Array(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!needed.has(node.output)) continue;
    keep[i] = true;
    for (const id of node.inputs) needed.add(id);
  }
  for (const t of targets) {
    if (!graph.tensors[t]) throw new Error(`subgraphFor: tensor id ${t} is not in the graph`);
  }
  return { tensors: graph.tensors, nodes: graph.nodes.filter((_, i) => keep[i]) };
}

/** Tensors of a subgraph that are read but produced by no node, except `except`. */
export function leavesOf(graph: Graph, except: ReadonlySet<number>): number[] {
  const produced = new Set(graph.nodes.map((n) => n.output));
  const leaves = new Set<number>();
  for (const n of graph.nodes) for (const id of n.inputs) if (!produced.has(id) && !except.has(id)) leaves.add(id);
  return [...leaves].sort((a, b) => a - b);
}

function asFloat32(v: Float32Array | Float64Array): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

/** One pooled buffer per leaf tensor (params, consts, state), filled from `values`. */
export class BoundValues {
  readonly buffers = new Map<number, GPUBuffer>();

  constructor(
    private readonly ctx: GpuContext,
    private readonly graph: Graph,
    ids: readonly number[],
    values: TensorValues,
    who: string,
  ) {
    try {
      for (const id of ids) {
        const t = graph.tensors[id];
        if (t.role === 'activation' || t.role === 'input' || t.role === 'label')
          throw new Error(`${who}: ${t.role} tensor ${t.name} cannot be bound from values`);
        this.buffers.set(id, uploadArray(ctx, asFloat32(this.checked(id, values, who)), t.name));
      }
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Overwrites every bound tensor (e.g. parameters after some training steps). */
  write(values: TensorValues, who: string): void {
    const data = [...this.buffers.keys()].map((id) => asFloat32(this.checked(id, values, who)));
    [...this.buffers.values()].forEach((b, i) =>
      this.ctx.device.queue.writeBuffer(b, 0, data[i].buffer, data[i].byteOffset, data[i].byteLength),
    );
  }

  release(): void {
    for (const b of this.buffers.values()) this.ctx.pool.release(b);
    this.buffers.clear();
  }

  private checked(id: number, values: TensorValues, who: string): Float32Array | Float64Array {
    const t = this.graph.tensors[id];
    const v = values.get(id);
    if (!v) throw new Error(`${who}: no value for ${t.role} tensor ${t.name}`);
    if (v.length !== numel(t.shape))
      throw new Error(`${who}: ${t.name} has ${v.length} values, its shape [${t.shape.join(',')}] needs ${numel(t.shape)}`);
    return v;
  }
}

/** The graph cut at activation `from`: the nodes that only compute `from` are dropped and
 * `from` becomes an input, so a Jacobian or probe can start there (e.g. at the stem's
 * output). Throws when another kept node reads something the dropped nodes made. */
export function rootedAt(graph: Graph, from: number): Graph {
  if (graph.tensors[from]?.role !== 'activation') throw new Error(`rootedAt: ${graph.tensors[from]?.name ?? from} is not an activation`);
  const ancestors = new Set<number>([from]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (ancestors.has(n.output)) for (const id of n.inputs) ancestors.add(id);
  }
  const dropped = new Set(graph.nodes.filter((n) => ancestors.has(n.output)).map((n) => n.output));
  const nodes = graph.nodes.filter((n) => !dropped.has(n.output));
  for (const n of nodes) {
    for (const id of n.inputs) {
      if (id !== from && dropped.has(id))
        throw new Error(
          `rootedAt: ${graph.tensors[n.output].name} reads ${graph.tensors[id].name}, which is computed before ${graph.tensors[from].name}`,
        );
    }
  }
  const tensors = graph.tensors.map((t) => (t.id === from ? { ...t, role: 'input' as const } : t));
  return { tensors, nodes };
}
