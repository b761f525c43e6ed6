// A model training on the GPU: persistent buffers (params, grads, optimizer state,
// running stats), one compiled step program (forward, loss, backward, metrics,
// optimizer update) replayed every step, and metrics read back late in batches.

import type { GpuContext, BufferRef } from '../../gpu';
import {
  correctCount,
  countNonFinite,
  elementwise,
  reduceSum,
  segmentSumSquares,
  readRanges,
  uploadArray,
  STORAGE_USAGE,
  DispatchProfiler,
  type DispatchTime,
} from '../../gpu';
import { profileProblem } from './profile';
import { numel, type Graph, type TensorSpec } from '../graph';
import { isScalarParam, optimizerStateCount, type OptimizerSpec, type StepMetrics } from '../optimizer';
import {
  compileGraph,
  compileGraphAsync,
  type CompileOptions,
  type CompiledProgram,
  type CompileProgress,
  type KernelChoiceStats,
} from './compile';
import { MetricsRing, SCALARS } from './metricsRing';
import { checkBatch, type MixLabels } from './batchCheck';
import { FlatBuffer, flatLayout, type FlatLayout } from './flatParams';
import { groupHyper, hyperBytes, packHyper, recordUpdate } from './optimizerStep';

export interface TrainSessionSpec {
  graph: Graph;
  input: number;
  labels: number;
  logits: number;
  loss: number;
  /** A mixup loss's second labels and loss weight (the graph's mixedCrossEntropy inputs). */
  mix?: { second: number; weight: number };
  /** Initial values of every param, const and state tensor. */
  values: ReadonlyMap<number, Float32Array>;
  optimizer: OptimizerSpec;
  /** Continue from a checkpoint: the step count and the optimizer state it saved. */
  resume?: { step: number; optimizerState: readonly Float32Array[] };
}

/** Everything needed to continue training exactly: tensor values (params, consts,
 * BatchNorm state), the optimizer's flat state buffers, and the step count. */
export interface SessionCheckpoint {
  step: number;
  values: Map<number, Float32Array>;
  /** Flat optimizer state in the plain layout (parameters in graph order, no scalar
   * group tail), so a checkpoint resumes whatever the grouping. */
  optimizerState: Float32Array[];
}

/** Copies every tensor's window of `src` (laid out by `from`) to its window in `to`. */
function relayout(src: Float32Array, from: FlatLayout, to: FlatLayout): Float32Array {
  const out = new Float32Array(to.total);
  from.offsets.forEach((o, i) => out.set(src.subarray(o, o + from.lengths[i]), to.offsets[i]));
  return out;
}

export interface EvalResult {
  loss: number;
  correct: number;
}

export class GpuTrainSession {
  readonly params: TensorSpec[];
  private readonly tensorBufs = new Map<number, BufferRef>();
  private readonly owned: GPUBuffer[] = [];
  private readonly io: {
    input: GPUBuffer;
    labels: GPUBuffer;
    logits: GPUBuffer;
    loss: GPUBuffer;
    mix?: { second: GPUBuffer; weight: GPUBuffer };
  };
  private readonly flat: { param: FlatBuffer; grad: FlatBuffer; state: FlatBuffer[] };
  private readonly hyper: GPUBuffer;
  /** The scalar parameter group's record, when the optimizer has one. */
  private readonly groupHyper?: GPUBuffer;
  private readonly ring: MetricsRing;
  private compiled?: CompiledProgram;
  private readonly trainOptions: CompileOptions;
  private evalProgram?: CompiledProgram;
  private profileNext = false;
  private profiled?: Promise<{ step: number; times: DispatchTime[] }>;
  private evalOut?: { scalars: GPUBuffer };
  private stepCount = 0;
  private readonly batch: number;
  private readonly classes: number;

  /** Builds the session and compiles its step program synchronously (pipelines the
   * context has not compiled yet block the thread): see `create` for the async path. */
  constructor(
    private readonly ctx: GpuContext,
    readonly spec: TrainSessionSpec,
    compile: 'now' | 'later' = 'now',
  ) {
    const { graph } = spec;
    this.batch = graph.tensors[spec.input].shape[0];
    this.classes = graph.tensors[spec.logits].shape[1];
    this.params = graph.tensors.filter((t) => t.role === 'param');
    // A scalar parameter group sits at the tail of the flat buffers: one update each.
    const group = spec.optimizer.scalarGroup;
    const layout = flatLayout(this.params, (t) => !!group && isScalarParam(t.shape));
    this.flat = {
      param: new FlatBuffer(ctx, layout, 'params'),
      grad: new FlatBuffer(ctx, layout, 'grads'),
      state: Array.from({ length: optimizerStateCount(spec.optimizer) }, (_, i) => new FlatBuffer(ctx, layout, `optimizer state ${i}`)),
    };
    this.params.forEach((p, i) => {
      this.flat.param.write(i, this.initial(p));
      this.tensorBufs.set(p.id, this.flat.param.window(i));
    });
    for (const t of graph.tensors) {
      if (t.role === 'const' || t.role === 'state') {
        const b = uploadArray(ctx, this.initial(t), t.name);
        this.owned.push(b);
        this.tensorBufs.set(t.id, b);
      }
    }
    const ioBuf = (id: number) => {
      const b = this.alloc(numel(graph.tensors[id].shape), graph.tensors[id].name);
      this.tensorBufs.set(id, b);
      return b;
    };
    this.io = { input: ioBuf(spec.input), labels: ioBuf(spec.labels), logits: ioBuf(spec.logits), loss: ioBuf(spec.loss) };
    if (spec.mix) this.io.mix = { second: ioBuf(spec.mix.second), weight: ioBuf(spec.mix.weight) };
    const segments = uploadArray(ctx, this.flat.param.segments(), 'param segments');
    this.owned.push(segments);
    if (spec.resume) this.restoreOptimizer(spec.resume);
    this.hyper = this.alloc(hyperBytes(spec.optimizer) / 4, 'optimizer:hyper');
    if (group) this.groupHyper = this.alloc(hyperBytes(spec.optimizer) / 4, 'optimizer:scalar group hyper');
    const seed = uploadArray(ctx, new Float32Array([1]), 'loss seed');
    this.owned.push(seed);
    this.ring = new MetricsRing(ctx, this.params.length, this.batch);
    this.trainOptions = {
      graph,
      mode: 'train',
      bound: this.tensorBufs,
      backward: { seeds: new Map([[spec.loss, seed]]), grads: new Map(this.params.map((p, i) => [p.id, this.flat.grad.window(i)])) },
      label: 'train step',
      identityScalars: this.identityScalars(),
      epilogue: (k) => {
        const logits = this.io.logits;
        k.copy(this.io.loss, 0, this.ring.scalars, SCALARS.loss * 4, 4);
        correctCount(k, logits, this.io.labels, this.ring.scalars, { n: this.batch, k: this.classes }, { outIndex: SCALARS.correct });
        const all = this.flat.param.layout.total;
        segmentSumSquares(k, this.flat.grad.buffer, segments, this.ring.gradSq, this.params.length);
        reduceSum(k, this.ring.gradSq, this.ring.scalars, this.params.length, { outIndex: SCALARS.gradNormSq });
        // The reported norm is the one before clipping, as clip_grad_norm_ returns it.
        const maxNorm = spec.optimizer.clipNorm;
        if (maxNorm)
          elementwise(k, 'clipGradients', { stats: this.ring.scalars, out: this.flat.grad.whole }, all, {
            index: SCALARS.gradNormSq,
            a: maxNorm,
          });
        const split = this.groupHyper ? layout.tailStart : all;
        const update = (from: number, to: number, hyper: GPUBuffer) => {
          if (to <= from) return;
          const slots = {
            param: this.flat.param.range(from, to),
            grad: this.flat.grad.range(from, to),
            state: this.flat.state.map((f) => f.range(from, to)),
            length: to - from,
          };
          recordUpdate(k, spec.optimizer, hyper, slots);
        };
        update(0, split, this.hyper);
        if (this.groupHyper) update(split, all, this.groupHyper);
        countNonFinite(k, this.flat.param.buffer, this.ring.scalars, all, { outIndex: SCALARS.nonFinite });
      },
    };
    if (compile === 'now') this.compiled = compileGraph(ctx, this.trainOptions);
  }

  /** The session with its step program compiled asynchronously: every pipeline it needs
   * is built with createComputePipelineAsync (`concurrency` at a time) with progress,
   * without blocking. */
  static async create(
    ctx: GpuContext,
    spec: TrainSessionSpec,
    onProgress?: CompileProgress,
    concurrency?: number,
  ): Promise<GpuTrainSession> {
    const session = new GpuTrainSession(ctx, spec, 'later');
    try {
      session.compiled = await compileGraphAsync(ctx, session.trainOptions, onProgress, concurrency);
    } catch (e) {
      session.destroy();
      throw e;
    }
    return session;
  }

  private get train(): CompiledProgram {
    if (!this.compiled)
      throw new Error('the training step is not compiled yet: build the session with GpuTrainSession.create and await it');
    return this.compiled;
  }

  get step(): number {
    return this.stepCount;
  }

  get dispatchesPerStep(): number {
    return this.train.dispatchCount;
  }

  /** The step's kernels with variants and how many were timed for it (tuning on only). */
  get kernelChoice(): KernelChoiceStats | undefined {
    return this.train.kernelChoice;
  }

  /** Bytes of activations/gradients/scratch after lifetime planning, and without it. */
  get plannedBytes(): { planned: number; naive: number } {
    return { planned: this.train.plan.physicalBytes.reduce((a, b) => a + b, 0), naive: this.train.plan.naiveBytes };
  }

  /** Queues one training step; returns at once (metrics come later from readMetrics). A
   * session built with mixup's loss needs `mix`; the correct count is against `labels`. */
  runStep(x: Float32Array, labels: Uint32Array, lr: number, mix?: MixLabels): void {
    this.writeBatch(x, labels, mix);
    this.stepCount += 1;
    const q = this.ctx.device.queue;
    const h = packHyper(this.spec.optimizer, lr, this.stepCount);
    q.writeBuffer(this.hyper, 0, h.buffer as ArrayBuffer, h.byteOffset, h.byteLength);
    if (this.groupHyper) {
      const g = groupHyper(this.spec.optimizer, lr, this.stepCount);
      q.writeBuffer(this.groupHyper, 0, g.buffer as ArrayBuffer, g.byteOffset, g.byteLength);
    }
    const encoder = this.ctx.device.createCommandEncoder({ label: `step ${this.stepCount}` });
    const profiler = this.profileNext ? new DispatchProfiler(this.ctx.device, Math.max(1, this.train.dispatchCount)) : undefined;
    this.profileNext = false;
    this.train.program.encode(encoder, profiler);
    profiler?.resolve(encoder);
    this.ring.capture(encoder, this.stepCount);
    q.submit([encoder.finish()]);
    if (profiler) {
      const step = this.stepCount;
      this.profiled = profiler.read().then((times) => ({ step, times }));
    }
  }

  /** Times every dispatch of the next step on the GPU (timestamp queries); the step's
   * results are the same. Throws, saying why, on an adapter without timestamp queries. */
  profileNextStep(): void {
    const problem = profileProblem(this.ctx.features);
    if (problem) throw new Error(problem);
    this.profileNext = true;
  }

  /** The latest profiled step's dispatch times, once its step ran (then forgotten). */
  async takeProfile(): Promise<{ step: number; times: DispatchTime[] } | undefined> {
    const p = this.profiled;
    this.profiled = undefined;
    return p;
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
        identityScalars: this.identityScalars(),
        epilogue: (k) => {
          k.copy(this.io.loss, 0, scalars, 0, 4);
          correctCount(k, this.io.logits, this.io.labels, scalars, { n: this.batch, k: this.classes }, { outIndex: 1 });
        },
      });
    }
    // Unmixed: a mixup loss with both labels the same and weight 1 is the plain loss.
    this.writeBatch(x, labels, this.io.mix && { second: labels, weight: 1 });
    this.evalProgram.program.run();
    const [ab] = await readRanges(this.ctx, [{ buffer: this.evalOut!.scalars, bytes: 8 }]);
    return { loss: new Float32Array(ab)[0], correct: new Uint32Array(ab)[1] };
  }

  /** Current values of every param, const and state tensor (e.g. for export or a checkpoint). */
  async readValues(): Promise<Map<number, Float32Array>> {
    const ts = this.spec.graph.tensors.filter((t) => t.role === 'param' || t.role === 'const' || t.role === 'state');
    const data = await readRanges(
      this.ctx,
      ts.map((t) => this.rangeOf(t)),
    );
    return new Map(ts.map((t, i) => [t.id, new Float32Array(data[i])]));
  }

  /** Current values of the given parameters (e.g. the learnable scalars), in one readback. */
  async readParams(ids: readonly number[]): Promise<Float32Array[]> {
    const ts = ids.map((id) => this.params.find((p) => p.id === id));
    if (ts.some((t) => !t)) throw new Error('readParams: not every id is a parameter of this session');
    const data = await readRanges(
      this.ctx,
      ts.map((t) => this.rangeOf(t!)),
    );
    return data.map((d) => new Float32Array(d));
  }

  /** Values and optimizer state as of the last queued step (waits for it). */
  async checkpoint(): Promise<SessionCheckpoint> {
    const values = await this.readValues();
    const total = this.flat.param.layout.total;
    const data = await readRanges(
      this.ctx,
      this.flat.state.map((f) => ({ buffer: f.buffer, bytes: total * 4 })),
    );
    const plain = flatLayout(this.params);
    return { step: this.stepCount, values, optimizerState: data.map((d) => relayout(new Float32Array(d), this.flat.param.layout, plain)) };
  }

  /** Current gradient of every parameter (from the last step). */
  async readGrads(): Promise<Map<number, Float32Array>> {
    const data = await readRanges(
      this.ctx,
      this.params.map((_, i) => this.flat.grad.window(i)).map((w) => ({ buffer: w.buffer, offset: w.offset, bytes: w.size })),
    );
    return new Map(this.params.map((p, i) => [p.id, new Float32Array(data[i])]));
  }

  destroy(): void {
    this.compiled?.destroy();
    this.evalProgram?.destroy();
    this.ring.destroy();
    for (const f of [this.flat.param, this.flat.grad, ...this.flat.state]) f.release();
    for (const b of this.owned) this.ctx.pool.release(b);
    this.owned.length = 0;
  }

  private writeBatch(x: Float32Array, labels: Uint32Array, mix?: MixLabels): void {
    const inputValues = numel(this.spec.graph.tensors[this.spec.input].shape);
    checkBatch(x, labels, mix, { inputValues, batch: this.batch, classes: this.classes, mixup: !!this.io.mix });
    const q = this.ctx.device.queue;
    q.writeBuffer(this.io.input, 0, x.buffer, x.byteOffset, x.byteLength);
    q.writeBuffer(this.io.labels, 0, labels.buffer, labels.byteOffset, labels.byteLength);
    if (this.io.mix && mix) {
      q.writeBuffer(this.io.mix.second, 0, mix.second.buffer, mix.second.byteOffset, mix.second.byteLength);
      q.writeBuffer(this.io.mix.weight, 0, new Float32Array([mix.weight]));
    }
  }

  private restoreOptimizer(r: NonNullable<TrainSessionSpec['resume']>): void {
    const plain = flatLayout(this.params);
    if (r.optimizerState.length !== this.flat.state.length || r.optimizerState.some((s) => s.length !== plain.total)) {
      throw new Error('checkpoint optimizer state does not match this model and optimizer');
    }
    r.optimizerState.forEach((s, i) => {
      const data = relayout(s, plain, this.flat.param.layout);
      this.ctx.device.queue.writeBuffer(this.flat.state[i].buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    });
    this.stepCount = r.step;
  }

  /** Const scalars equal to 1 (fixed a_res / a_skip): the compiler folds x * 1 away. */
  private identityScalars(): Set<number> {
    return new Set(
      this.spec.graph.tensors
        .filter((t) => t.role === 'const' && numel(t.shape) === 1 && this.spec.values.get(t.id)?.[0] === 1)
        .map((t) => t.id),
    );
  }

  private initial(t: TensorSpec): Float32Array {
    const v = this.spec.values.get(t.id);
    if (!v || v.length !== numel(t.shape)) throw new Error(`initial value of ${t.name} missing or of wrong length`);
    return v;
  }

  private rangeOf(t: TensorSpec) {
    const i = this.params.indexOf(t);
    if (i >= 0) {
      const w = this.flat.param.window(i);
      return { buffer: w.buffer, offset: w.offset, bytes: w.size };
    }
    return { buffer: this.tensorBufs.get(t.id) as GPUBuffer, bytes: numel(t.shape) * 4 };
  }

  private alloc(elements: number, label: string): GPUBuffer {
    const b = this.ctx.pool.acquire(Math.max(1, elements) * 4, STORAGE_USAGE, label);
    this.owned.push(b);
    return b;
  }
}
