// One run of a comparison with one of its seeds: its GPU session, its history and its status.
// A failure or divergence ends this run only; the history it gathered is kept.

import {
  byKernelKind,
  isDiverged,
  type StepMetrics,
  GpuTrainSession,
  type MixLabels,
  type SessionCheckpoint,
  type TrainSessionSpec,
  validateStep,
  type StepValidation,
} from '../engine';
import type { RunProfile } from './runState';
import type { GpuContext, CompileProgress, KernelChoiceStats } from '../engine';
import { initScheme, toOptimizerSpec, countParams, buildResNet } from '../nn';
import type { ResNetConfig } from '../nn';
import type { ExperimentConfig, SchemeChoice } from './experimentConfig';
import { buildInitialised, type DatasetShape } from './modelFactory';
import { runLabel } from './runModel';
import { runKey, type KernelChoiceSummary, type RunState } from './runState';
import { instanceKey } from './seeds';
import { blockIndex, isBranchScalar } from './paramBlocks';
import { blockNorms, emptyHistory, HISTORY_CAPACITY, keepStep } from './runHistory';
import { exportWeights, type ModelCard } from './weights';

/** A run's state at a step: its GPU checkpoint and its history up to that step. */
export interface RunCheckpoint {
  /** Absent for a run that had already ended (its history is all there is). */
  session?: SessionCheckpoint;
  state: RunState;
}

export class TrainingRun {
  state: RunState;
  /** The architecture this run trains (after the scheme's configFor), once compiled. */
  config?: ResNetConfig;
  private session?: GpuTrainSession;
  /** Set while the device is being replaced: errors then mean "lost", not "failed". */
  deviceLost = false;
  private lrByStep = new Map<number, number>();
  private epochByStep = new Map<number, number>();
  /** Each parameter's block (the history's rows) and the learnable a_res / a_skip. */
  private historyLayout?: { of: number[]; blocks: number; scalarIds: number[] };

  /** Seed `seedIndex` of the experiment, whose value is `seed` (seeds.ts). */
  constructor(
    scheme: SchemeChoice,
    readonly seedIndex: number,
    readonly seed: number,
  ) {
    const key = instanceKey(runKey(scheme), seedIndex);
    this.state = { key, seedIndex, seed, scheme, label: runLabel(scheme), status: 'pending', step: 0, paramCount: 0, train: [], test: [] };
  }

  get live(): boolean {
    return this.session !== undefined && (this.state.status === 'running' || this.state.status === 'paused');
  }

  /** Builds, initialises (or restores from `from`) and compiles the model: its new
   * pipelines asynchronously, `compile.concurrency` at a time (0: synchronously), with
   * progress; a failure marks this run failed. */
  async compile(
    ctx: GpuContext,
    exp: ExperimentConfig,
    data: DatasetShape,
    from?: RunCheckpoint,
    compile: { concurrency?: number; onProgress?: CompileProgress } = {},
  ): Promise<void> {
    if (from) {
      this.session = undefined; // belonged to a lost device or an earlier page
      this.state = structuredClone(from.state);
      if (!from.session) return; // this run had ended: nothing to compile
    }
    const resumeStatus = this.state.status === 'paused' ? 'paused' : 'running';
    this.state.status = 'compiling';
    try {
      const built = buildInitialised({ ...exp, seed: this.seed }, this.state.scheme, data, exp.batchSize);
      const { model } = built;
      this.config = built.config;
      const values = from?.session ? from.session.values : new Map([...built.values].map(([id, v]) => [id, Float32Array.from(v)]));
      this.state.paramCount = countParams(built.config);
      const spec: TrainSessionSpec = {
        graph: model.graph,
        input: model.input,
        labels: model.labels,
        logits: model.logits,
        loss: model.loss,
        ...(model.mix && { mix: model.mix }),
        values,
        optimizer: toOptimizerSpec(exp.optimizer, initScheme(this.state.scheme.id).scalarLr),
        resume: from?.session ? { step: from.session.step, optimizerState: from.session.optimizerState } : undefined,
      };
      this.session =
        compile.concurrency === 0
          ? new GpuTrainSession(ctx, spec)
          : await GpuTrainSession.create(ctx, spec, compile.onProgress, compile.concurrency);
      this.startHistory(this.session.params);
      this.state.status = resumeStatus;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Like queueStep, but waits for the step and checks it against the float64 interpreter. */
  async validateStep(
    x: Float32Array,
    labels: Uint32Array,
    lr: number,
    epoch: number,
    mix?: MixLabels,
  ): Promise<StepValidation | undefined> {
    if (!this.live) return undefined;
    try {
      const v = await validateStep(this.session!, x, labels, lr, mix);
      this.lrByStep.set(this.session!.step, lr);
      this.epochByStep.set(this.session!.step, epoch);
      return v;
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  /** `mix`: the batch's mixup labels and weight (Batch.mix), when the experiment mixes. */
  queueStep(x: Float32Array, labels: Uint32Array, lr: number, epoch: number, mix?: MixLabels): void {
    if (!this.live) return;
    try {
      this.session!.runStep(x, labels, lr, mix);
      this.lrByStep.set(this.session!.step, lr);
      this.epochByStep.set(this.session!.step, epoch);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Dispatches of one training step (0 before compiling). */
  get dispatchesPerStep(): number {
    return this.session?.dispatchesPerStep ?? 0;
  }

  /** Its step's kernels with variants and how many were timed for it (tuning on only). */
  get kernelChoice(): KernelChoiceStats | undefined {
    return this.session?.kernelChoice;
  }

  /** Times every dispatch of this run's next step on the GPU (profile). */
  profileNextStep(): void {
    if (this.live) this.session!.profileNextStep();
  }

  /** The profiled step's time per kernel kind, once it ran. */
  async takeProfile(): Promise<RunProfile | undefined> {
    const p = await this.session?.takeProfile();
    return p && { runKey: this.state.key, label: this.state.label, step: p.step, kernels: byKernelKind(p.times) };
  }

  /** Reads the metrics of the queued steps; stops the run on divergence. */
  async collect(): Promise<void> {
    if (!this.session) return;
    let metrics: StepMetrics[];
    try {
      metrics = await this.session.readMetrics();
    } catch (e) {
      return this.fail(e);
    }
    for (const m of metrics) {
      if (this.state.status === 'diverged') break;
      const lr = this.lrByStep.get(m.step) ?? 0;
      this.state.train.push({
        step: m.step,
        epoch: this.epochByStep.get(m.step) ?? 0,
        loss: m.loss,
        acc: m.correct / m.batchSize,
        lr,
        gradNorm: m.gradNorm,
      });
      this.lrByStep.delete(m.step);
      this.epochByStep.delete(m.step);
      if (this.state.history && this.historyLayout) {
        const { of, blocks } = this.historyLayout;
        keepStep(this.state.history.gradNorms, m.step, blockNorms(m.paramGradNorms, of, blocks), HISTORY_CAPACITY.gradNorms);
      }
      this.state.step = m.step;
      if (isDiverged(m)) this.diverge(m);
    }
    const last = metrics[metrics.length - 1];
    if (last && this.session) this.state.gradNorms = { names: this.session.params.map((p) => p.name), values: [...last.paramGradNorms] };
    if (last && this.live) await this.readScalars();
  }

  /** The history's layout for this model; a resumed run keeps the history it brought. */
  private startHistory(params: readonly { id: number; name: string }[]): void {
    const names = params.map((p) => p.name);
    const { blocks, of } = blockIndex(names);
    const scalars = params.filter((p) => isBranchScalar(p.name));
    this.historyLayout = { of, blocks: blocks.length, scalarIds: scalars.map((p) => p.id) };
    const h = this.state.history;
    const same = h && h.blocks.join() === blocks.join() && h.scalarNames.join() === scalars.map((p) => p.name).join();
    if (!same)
      this.state.history = emptyHistory(
        blocks,
        scalars.map((p) => p.name),
      );
  }

  /** The learnable a_res / a_skip now (after the last queued step): a few floats. */
  private async readScalars(): Promise<void> {
    const ids = this.historyLayout?.scalarIds ?? [];
    if (!ids.length || !this.state.history) return;
    try {
      const values = await this.session!.readParams(ids);
      keepStep(
        this.state.history.scalars,
        this.session!.step,
        values.map((v) => v[0]),
        HISTORY_CAPACITY.scalars,
      );
    } catch (e) {
      this.fail(e);
    }
  }

  async evaluate(batches: Iterable<{ x: Float32Array; labels: Uint32Array }>): Promise<void> {
    if (!this.live) return;
    try {
      let loss = 0;
      let correct = 0;
      let count = 0;
      for (const b of batches) {
        const r = await this.session!.evaluate(b.x, b.labels);
        loss += r.loss * b.labels.length;
        correct += r.correct;
        count += b.labels.length;
      }
      if (count > 0) this.state.test.push({ step: this.session!.step, loss: loss / count, acc: correct / count });
    } catch (e) {
      this.fail(e);
    }
  }

  /** The run's state now (waits for the queued steps); history only once it has ended. */
  async checkpoint(): Promise<RunCheckpoint> {
    if (this.live) await this.collect();
    if (!this.live) return { state: structuredClone(this.state) };
    return { session: await this.session!.checkpoint(), state: structuredClone(this.state) };
  }

  /** The weights the run ended with (finished or stopped), kept after its GPU memory is
   * freed so they can still be exported. */
  finalValues?: { values: Map<number, Float32Array>; step: number };

  async finish(status: 'finished' | 'stopped'): Promise<void> {
    if (this.live) {
      try {
        this.finalValues = { values: await this.session!.readValues(), step: this.session!.step };
      } catch {
        // A lost device keeps nothing to read; the history is still there.
      }
      this.state.status = status;
    }
    this.release();
  }

  setPaused(paused: boolean): void {
    if (this.live) this.state.status = paused ? 'paused' : 'running';
  }

  release(): void {
    this.session?.destroy();
    this.session = undefined;
  }

  private diverge(m: StepMetrics): void {
    this.state.status = 'diverged';
    this.state.divergedAt = m.step;
    this.state.message = !Number.isFinite(m.loss)
      ? `loss became ${m.loss} at step ${m.step}`
      : m.nonFiniteValues > 0
        ? `${m.nonFiniteValues} parameter values became NaN or Inf at step ${m.step}`
        : `gradient norm became ${m.gradNorm} at step ${m.step}`;
    this.release();
  }

  private fail(e: unknown): void {
    if (this.deviceLost) return;
    this.state.status = 'failed';
    this.state.message = e instanceof Error ? e.message : String(e);
    this.release();
  }

  /** The run's weights as safetensors + model card: a live run's current ones, or those a
   * finished or stopped run ended with. */
  async weights(): Promise<{ safetensors: Uint8Array; card: ModelCard }> {
    const key = this.state.key;
    if (!this.live && this.finalValues && this.config) {
      const { values, step } = this.finalValues;
      return exportWeights(buildResNet(this.config, 1), values, { scheme: this.state.scheme, seed: this.seed, step });
    }
    if (!this.live && this.state.status === 'diverged')
      throw new Error(`run "${key}" diverged at step ${this.state.divergedAt}; its weights are not finite and were not kept`);
    const cp = await this.checkpoint();
    if (!cp.session || !this.config) throw new Error(`run "${key}" has ended; its weights are no longer on the GPU`);
    return exportWeights(buildResNet(this.config, 1), cp.session.values, {
      scheme: this.state.scheme,
      seed: this.seed,
      step: cp.session.step,
    });
  }
}

/** How the kernels of these runs were chosen: distinct shapes with variants, and how many
 * of them were timed now (the rest came from the store). */
export function kernelChoiceSummary(runs: readonly TrainingRun[], tuning: boolean): KernelChoiceSummary {
  const ops = new Set<string>();
  const timed = new Set<string>();
  for (const r of runs) {
    r.kernelChoice?.ops.forEach((op) => ops.add(op));
    r.kernelChoice?.timed.forEach((op) => timed.add(op));
  }
  return { tuning, shapes: ops.size, timed: timed.size };
}
