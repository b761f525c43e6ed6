// Input-output Jacobians of one example on the GPU, for any graph: d target / d input at
// a probe z, by reverse-mode products. The graph is built at batch B; every slot holds z
// and slot b seeds a different output row, so one run of the compiled eval-mode program
// yields B rows. Eval mode makes the rows per-example functions (BatchNorm uses running
// stats). Not the spectrum itself (src/analysis).

import { OwnedBuffers } from './ownedBuffers';
import type { GpuContext } from '../../gpu';
import { readRanges } from '../../gpu';
import { numel, type Graph } from '../graph';
import { compileGraph, type CompiledProgram } from './compile';
import { BoundValues, leavesOf, subgraphFor, type TensorValues } from './evalGraph';

export interface GpuJacobianSpec {
  graph: Graph;
  /** [B, ...]: every slot receives the probe. */
  input: number;
  /** [B, ...]: the per-example function whose Jacobian is taken. */
  target: number;
  /** Every param, const and state tensor the target depends on. */
  values: TensorValues;
}

// Rows are gathered on the GPU and read back in groups of about this many bytes, so a
// big Jacobian costs few mapAsync round trips without one huge staging buffer.
const READ_GROUP_BYTES = 32 << 20;

export class GpuJacobian {
  /** Examples per run (the graph's batch size). */
  readonly batch: number;
  /** m: target values per example. */
  readonly rowCount: number;
  /** n: input values per example. */
  readonly colCount: number;
  private readonly values: BoundValues;
  private readonly owned: OwnedBuffers;
  private readonly io: { input: GPUBuffer; seed: GPUBuffer; grad: GPUBuffer; gather: GPUBuffer };
  private readonly program: CompiledProgram;
  private readonly chunksPerRead: number;
  private busy = false;
  private destroyed = false;

  constructor(
    private readonly ctx: GpuContext,
    spec: GpuJacobianSpec,
  ) {
    const { graph, input, target } = spec;
    const inShape = graph.tensors[input]?.shape;
    const outShape = graph.tensors[target]?.shape;
    if (!inShape || !outShape) throw new Error('GpuJacobian: input or target is not a tensor of the graph');
    if (graph.tensors[input].role !== 'input') throw new Error(`GpuJacobian: ${graph.tensors[input].name} is not an input tensor`);
    if (graph.tensors[target].role !== 'activation')
      throw new Error(`GpuJacobian: target ${graph.tensors[target].name} is not an activation`);
    if (inShape[0] !== outShape[0]) throw new Error(`GpuJacobian: input batch ${inShape[0]} and target batch ${outShape[0]} differ`);
    this.batch = inShape[0];
    this.colCount = numel(inShape) / this.batch;
    this.rowCount = numel(outShape) / this.batch;
    const sub = subgraphFor(graph, [target]);
    if (!sub.nodes.some((n) => n.inputs.includes(input)))
      throw new Error(`GpuJacobian: ${graph.tensors[target].name} does not depend on ${graph.tensors[input].name}`);
    this.values = new BoundValues(ctx, sub, leavesOf(sub, new Set([input])), spec.values, 'GpuJacobian');
    this.owned = new OwnedBuffers(ctx.pool);
    try {
      const rowBytes = this.batch * this.colCount * 4;
      this.chunksPerRead = Math.max(1, Math.min(Math.ceil(this.rowCount / this.batch), Math.floor(READ_GROUP_BYTES / rowBytes)));
      this.io = {
        input: this.owned.alloc(this.batch * this.colCount, 'jacobian:input'),
        seed: this.owned.alloc(this.batch * this.rowCount, 'jacobian:seed'),
        grad: this.owned.alloc(this.batch * this.colCount, 'jacobian:grad'),
        gather: this.owned.alloc(this.chunksPerRead * this.batch * this.colCount, 'jacobian:gather'),
      };
      const bound = new Map<number, GPUBuffer>([...this.values.buffers, [input, this.io.input]]);
      this.program = compileGraph(ctx, {
        graph: sub,
        mode: 'eval',
        bound,
        backward: { seeds: new Map([[target, this.io.seed]]), grads: new Map([[input, this.io.grad]]) },
        label: 'jacobian',
      });
    } catch (e) {
      this.releaseBuffers();
      throw e;
    }
  }

  /** Replaces the bound params / consts / state (same tensors, e.g. after training). */
  setValues(values: TensorValues): void {
    this.check();
    this.values.write(values, 'GpuJacobian.setValues');
  }

  /** The whole Jacobian at `probe` (n values): m x n, row-major, float64. */
  async rows(probe: ArrayLike<number>): Promise<Float64Array> {
    this.check();
    if (probe.length !== this.colCount)
      throw new Error(`GpuJacobian: probe has ${probe.length} values, the model takes ${this.colCount} per example`);
    if (this.busy) throw new Error('GpuJacobian: rows() is already running; await it first');
    this.busy = true;
    try {
      return await this.compute(probe);
    } finally {
      this.busy = false;
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.program.destroy();
    this.releaseBuffers();
  }

  private async compute(probe: ArrayLike<number>): Promise<Float64Array> {
    const { batch: B, rowCount: m, colCount: n } = this;
    const q = this.ctx.device.queue;
    const z = new Float32Array(B * n);
    for (let b = 0; b < B; b++) for (let i = 0; i < n; i++) z[b * n + i] = probe[i];
    q.writeBuffer(this.io.input, 0, z.buffer, z.byteOffset, z.byteLength);
    const out = new Float64Array(m * n);
    const seed = new Float32Array(B * m);
    const chunkBytes = B * n * 4;
    for (let group = 0; group < m; group += B * this.chunksPerRead) {
      const starts: number[] = [];
      for (let start = group; start < Math.min(m, group + B * this.chunksPerRead); start += B) {
        seed.fill(0);
        // Slot b seeds row start + b of its own example; slots past m stay zero.
        for (let b = 0; b < B && start + b < m; b++) seed[b * m + start + b] = 1;
        q.writeBuffer(this.io.seed, 0, seed.buffer, seed.byteOffset, seed.byteLength);
        const encoder = this.ctx.device.createCommandEncoder({ label: 'jacobian rows' });
        this.program.program.encode(encoder);
        encoder.copyBufferToBuffer(this.io.grad, 0, this.io.gather, starts.length * chunkBytes, chunkBytes);
        q.submit([encoder.finish()]);
        starts.push(start);
      }
      const [data] = await readRanges(this.ctx, [{ buffer: this.io.gather, bytes: starts.length * chunkBytes }]);
      const g = new Float32Array(data);
      starts.forEach((start, c) => {
        // Example b's input gradient is exactly row start + b.
        for (let b = 0; b < B && start + b < m; b++) {
          const from = (c * B + b) * n;
          for (let i = 0; i < n; i++) out[(start + b) * n + i] = g[from + i];
        }
      });
    }
    return out;
  }

  private check(): void {
    if (this.destroyed) throw new Error('GpuJacobian: used after destroy()');
  }

  private releaseBuffers(): void {
    this.values.release();
    this.owned.releaseAll();
  }
}
