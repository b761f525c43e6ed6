// Reads chosen activations of a graph back from one forward pass on the GPU (signal
// propagation: block outputs for given inputs; in train mode, the inputs of every
// BatchNorm under batch statistics). Compiled once for the part of the graph the outputs
// need; the outputs are bound to real buffers. No backward.

import { OwnedBuffers } from './ownedBuffers';
import type { GpuContext } from '../../gpu';
import { readRanges } from '../../gpu';
import { numel, type Graph } from '../graph';
import { compileGraph, type CompiledProgram } from './compile';
import { BoundValues, leavesOf, subgraphFor, type TensorValues } from './evalGraph';

export interface GpuActivationProbeSpec {
  graph: Graph;
  input: number;
  /** Tensors read back after each forward pass, in this order. */
  outputs: readonly number[];
  /** Every param, const and state tensor the outputs depend on. */
  values: TensorValues;
  /** 'eval' (default): BatchNorm uses the bound running stats, examples stay apart.
   * 'train': BatchNorm normalises with the batch's own statistics (the bound running
   * stats are updated on the probe's copies only). */
  mode?: 'train' | 'eval';
}

export class GpuActivationProbe {
  private readonly values: BoundValues;
  private readonly owned: OwnedBuffers;
  private readonly inputBuf: GPUBuffer;
  private readonly outBufs: GPUBuffer[];
  private readonly program: CompiledProgram;
  private readonly inputLength: number;
  private destroyed = false;

  constructor(
    private readonly ctx: GpuContext,
    private readonly spec: GpuActivationProbeSpec,
  ) {
    const { graph, input, outputs } = spec;
    if (graph.tensors[input]?.role !== 'input') throw new Error('GpuActivationProbe: `input` must be an input tensor of the graph');
    if (outputs.length === 0) throw new Error('GpuActivationProbe: no outputs to read');
    if (new Set(outputs).size !== outputs.length) throw new Error('GpuActivationProbe: an output is listed twice');
    for (const id of outputs) {
      if (graph.tensors[id]?.role !== 'activation')
        throw new Error(`GpuActivationProbe: output ${graph.tensors[id]?.name ?? id} is not an activation`);
    }
    this.inputLength = numel(graph.tensors[input].shape);
    const sub = subgraphFor(graph, outputs);
    this.values = new BoundValues(ctx, sub, leavesOf(sub, new Set([input])), spec.values, 'GpuActivationProbe');
    this.owned = new OwnedBuffers(ctx.pool);
    try {
      this.inputBuf = this.owned.alloc(this.inputLength, 'probe:input');
      this.outBufs = outputs.map((id) => this.owned.alloc(numel(graph.tensors[id].shape), `probe:${graph.tensors[id].name}`));
      const bound = new Map<number, GPUBuffer>([
        ...this.values.buffers,
        [input, this.inputBuf],
        ...outputs.map((id, i): [number, GPUBuffer] => [id, this.outBufs[i]]),
      ]);
      this.program = compileGraph(ctx, { graph: sub, mode: spec.mode ?? 'eval', bound, label: 'activation probe' });
    } catch (e) {
      this.releaseBuffers();
      throw e;
    }
  }

  /** The outputs (in `outputs` order) for a whole input batch. */
  async run(x: Float32Array | Float64Array): Promise<Float32Array[]> {
    if (this.destroyed) throw new Error('GpuActivationProbe: used after destroy()');
    if (x.length !== this.inputLength)
      throw new Error(`GpuActivationProbe: input has ${x.length} values, the graph takes ${this.inputLength}`);
    const data = x instanceof Float32Array ? x : Float32Array.from(x);
    this.ctx.device.queue.writeBuffer(this.inputBuf, 0, data.buffer, data.byteOffset, data.byteLength);
    this.program.program.run();
    const ranges = this.spec.outputs.map((id, i) => ({ buffer: this.outBufs[i], bytes: numel(this.spec.graph.tensors[id].shape) * 4 }));
    return (await readRanges(this.ctx, ranges)).map((ab) => new Float32Array(ab));
  }

  setValues(values: TensorValues): void {
    this.values.write(values, 'GpuActivationProbe.setValues');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.program.destroy();
    this.releaseBuffers();
  }

  private releaseBuffers(): void {
    this.values.release();
    this.owned.releaseAll();
  }
}
