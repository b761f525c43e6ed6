// A model training on the GPU: persistent buffers (params, grads, optimizer state,
// running stats), one compiled step program (forward, loss, backward, metrics,
// optimizer update) replayed every step, and metrics read back late in batches.

import type { GpuContext } from '../../gpu/device';
import { correctCount } from '../../gpu/kernels/argmax';
import { countNonFinite } from '../../gpu/kernels/countNonFinite';
import { reduceSum, reduceSumSquares } from '../../gpu/kernels/reduce';
import { readRanges, uploadArray } from '../../gpu/readback';
import { STORAGE_USAGE } from '../../gpu/usage';
import { numel, type Graph, type TensorSpec } from '../graph';
import { optimizerStateCount, type OptimizerSpec, type StepMetrics } from '../optimizer';
import { compileGraph, type CompiledProgram } from './compile';
import { MetricsRing, SCALARS } from './metricsRing';
import { hyperBytes, packHyper, recordUpdates, type ParamSlot } from './optimizerStep';

export interface TrainSessionSpec {
  graph: Graph;
  input: number;
  labels: number;
  logits: number;
  loss: number;
  /** Initial values of every param, const and state tensor. */
  values: ReadonlyMap<number, Float32Array>;
  optimizer: OptimizerSpec;
}

export interface EvalResult {
  loss: number;
  correct: number;
}

export class GpuTrainSession {
  readonly params: TensorSpec[];
  private readonly tensorBufs = new Map<number, GPUBuffer>();
  private readonly owned: GPUBuffer[] = [];
  private readonly slots: ParamSlot[] = [];
  private readonly hyper: GPUBuffer;
  private readonly ring: MetricsRing;
  private readonly train: CompiledProgram;
  private evalProgram?: CompiledProgram;
  private evalOut?: { scalars: GPUBuffer };
  private stepCount = 0;
  private readonly batch: number;
  private readonly classes: number;

  constructor(
    private readonly ctx: GpuContext,
    private readonly spec: TrainSessionSpec,
  ) {
    const { graph } = spec;
    this.batch = graph.tensors[spec.input].shape[0];
    this.classes = graph.tensors[spec.logits].shape[1];
    for (const t of graph.tensors) {
      if (t.role === 'param' || t.role === 'const' || t.role === 'state') {
        const v = spec.values.get(t.id);
        if (!v || v.length !== numel(t.shape)) throw new Error(`initial value of ${t.name} missing or of wrong length`);
        const b = uploadArray(ctx, v, t.name);
        this.owned.push(b);
        this.bind(t.id, b);
      }
    }
    for (const id of [spec.input, spec.labels, spec.logits, spec.loss]) this.bind(id, this.alloc(numel(graph.tensors[id].shape), graph.tensors[id].name));
    this.params = graph.tensors.filter((t) => t.role === 'param');
    const encoder = ctx.device.createCommandEncoder();
    for (const p of this.params) {
      const n = numel(p.shape);
      const state = Array.from({ length: optimizerStateCount(spec.optimizer) }, () => this.alloc(n, `${p.name}:optState`));
      state.forEach((b) => encoder.clearBuffer(b));
      this.slots.push({ param: this.tensorBufs.get(p.id)!, grad: this.alloc(n, `d(${p.name})`), state, length: n });
    }
    ctx.device.queue.submit([encoder.finish()]);
    this.hyper = this.alloc(hyperBytes(spec.optimizer) / 4, 'optimizer:hyper');
    const seed = uploadArray(ctx, new Float32Array([1]), 'loss seed');
    this.owned.push(seed);
    this.ring = new MetricsRing(ctx, this.params.length, this.batch);
    this.train = compileGraph(ctx, {
      graph,
      mode: 'train',
      bound: this.tensorBufs,
      backward: { seeds: new Map([[spec.loss, seed]]), grads: new Map(this.params.map((p, i) => [p.id, this.slots[i].grad])) },
      label: 'train step',
      epilogue: (k) => {
        const logits = this.tensorBufs.get(spec.logits)!;
        k.copy(this.tensorBufs.get(spec.loss)!, 0, this.ring.scalars, SCALARS.loss * 4, 4);
        correctCount(k, logits, this.tensorBufs.get(spec.labels)!, this.ring.scalars, { n: this.batch, k: this.classes }, { outIndex: SCALARS.correct });
        this.slots.forEach((s, i) => reduceSumSquares(k, s.grad, this.ring.gradSq, s.length, { outIndex: i }));
        reduceSum(k, this.ring.gradSq, this.ring.scalars, this.slots.length, { outIndex: SCALARS.gradNormSq });
        recordUpdates(k, spec.optimizer, this.hyper, this.slots);
        this.slots.forEach((s, i) => countNonFinite(k, s.param, this.ring.nonFinite, s.length, { outIndex: i }));
      },
    });
  }

  get step(): number {
    return this.stepCount;
  }

  get dispatchesPerStep(): number {
    return this.train.dispatchCount;
  }

  /** Bytes of activations/gradients/scratch after lifetime planning, and without it. */
  get plannedBytes(): { planned: number; naive: number } {
    return { planned: this.train.plan.physicalBytes.reduce((a, b) => a + b, 0), naive: this.train.plan.naiveBytes };
  }

  /** Queues one training step; returns at once (metrics come later from readMetrics). */
  runStep(x: Float32Array, labels: Uint32Array, lr: number): void {
    this.writeBatch(x, labels);
    this.stepCount += 1;
    const q = this.ctx.device.queue;
    const h = packHyper(this.spec.optimizer, lr, this.stepCount);
    q.writeBuffer(this.hyper, 0, h.buffer as ArrayBuffer, h.byteOffset, h.byteLength);
    const encoder = this.ctx.device.createCommandEncoder({ label: `step ${this.stepCount}` });
    this.train.program.encode(encoder);
    this.ring.capture(encoder, this.stepCount);
    q.submit([encoder.finish()]);
  }

  /** Metrics of every step run since the last call, in one readback. */
  readMetrics(): Promise<StepMetrics[]> {
    return this.ring.drain();
  }

  /** Loss and correct count on one batch in eval mode (BatchNorm uses running stats). */
  async evaluate(x: Float32Array, labels: Uint32Array): Promise<EvalResult> {
    if (!this.evalProgram) {
      const scalars = this.alloc(4, 'eval:scalars');
      this.evalOut = { scalars };
      this.evalProgram = compileGraph(this.ctx, {
        graph: this.spec.graph,
        mode: 'eval',
        bound: this.tensorBufs,
        label: 'eval',
        epilogue: (k) => {
          k.copy(this.tensorBufs.get(this.spec.loss)!, 0, scalars, 0, 4);
          correctCount(k, this.tensorBufs.get(this.spec.logits)!, this.tensorBufs.get(this.spec.labels)!, scalars, { n: this.batch, k: this.classes }, { outIndex: 1 });
        },
      });
    }
    this.writeBatch(x, labels);
    this.evalProgram.program.run();
    const [ab] = await readRanges(this.ctx, [{ buffer: this.evalOut!.scalars, bytes: 8 }]);
    return { loss: new Float32Array(ab)[0], correct: new Uint32Array(ab)[1] };
  }

  /** Current values of every param, const and state tensor (e.g. for export or a checkpoint). */
  async readValues(): Promise<Map<number, Float32Array>> {
    const ts = this.spec.graph.tensors.filter((t) => t.role === 'param' || t.role === 'const' || t.role === 'state');
    const data = await readRanges(this.ctx, ts.map((t) => ({ buffer: this.tensorBufs.get(t.id)!, bytes: numel(t.shape) * 4 })));
    return new Map(ts.map((t, i) => [t.id, new Float32Array(data[i])]));
  }

  /** Current gradient of every parameter (from the last step). */
  async readGrads(): Promise<Map<number, Float32Array>> {
    const data = await readRanges(this.ctx, this.slots.map((s) => ({ buffer: s.grad, bytes: s.length * 4 })));
    return new Map(this.params.map((p, i) => [p.id, new Float32Array(data[i])]));
  }

  destroy(): void {
    this.train.destroy();
    this.evalProgram?.destroy();
    this.ring.destroy();
    for (const b of this.owned) this.ctx.pool.release(b);
    this.owned.length = 0;
  }

  private writeBatch(x: Float32Array, labels: Uint32Array): void {
    const g = this.spec.graph.tensors;
    if (x.length !== numel(g[this.spec.input].shape)) throw new Error(`batch has ${x.length} values, the model expects ${numel(g[this.spec.input].shape)}`);
    if (labels.length !== this.batch) throw new Error(`batch has ${labels.length} labels, the model expects ${this.batch}`);
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= this.classes) throw new Error(`label ${labels[i]} at position ${i} is out of range for ${this.classes} classes`);
    }
    const q = this.ctx.device.queue;
    q.writeBuffer(this.tensorBufs.get(this.spec.input)!, 0, x.buffer, x.byteOffset, x.byteLength);
    q.writeBuffer(this.tensorBufs.get(this.spec.labels)!, 0, labels.buffer, labels.byteOffset, labels.byteLength);
  }

  private bind(id: number, b: GPUBuffer): void {
    this.tensorBufs.set(id, b);
  }

  private alloc(elements: number, label: string): GPUBuffer {
    const b = this.ctx.pool.acquire(Math.max(1, elements) * 4, STORAGE_USAGE, label);
    this.owned.push(b);
    return b;
  }
}
