// One scheme's run inside a comparison: its GPU session, its history and its status.
// A failure or divergence ends this run only; the history it gathered is kept.

import { isDiverged, type StepMetrics } from '../engine/optimizer';
import type { GpuContext } from '../engine/webgpu/device';
import { GpuTrainSession } from '../engine/webgpu/trainSession';
import { initScheme } from '../nn/init/registry';
import { toOptimizerSpec } from '../nn/optimizerConfig';
import type { ExperimentConfig, SchemeChoice } from './experiment';
import { buildInitialised, type DatasetShape } from './modelFactory';
import { runKey, type RunState } from './runState';

export class TrainingRun {
  readonly state: RunState;
  private session?: GpuTrainSession;
  private lrByStep = new Map<number, number>();
  private epochByStep = new Map<number, number>();

  constructor(scheme: SchemeChoice) {
    this.state = { key: runKey(scheme), scheme, label: initScheme(scheme.id).label, status: 'pending', step: 0, paramCount: 0, train: [], test: [] };
  }

  get live(): boolean {
    return this.session !== undefined && (this.state.status === 'running' || this.state.status === 'paused');
  }

  /** Builds, initialises and compiles the model; a failure marks this run failed. */
  compile(ctx: GpuContext, exp: ExperimentConfig, data: DatasetShape): void {
    this.state.status = 'compiling';
    try {
      const { model, values } = buildInitialised(exp, this.state.scheme, data, exp.batchSize);
      this.state.paramCount = model.graph.tensors.filter((t) => t.role === 'param').reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
      this.session = new GpuTrainSession(ctx, {
        graph: model.graph,
        input: model.input,
        labels: model.labels,
        logits: model.logits,
        loss: model.loss,
        values: new Map([...values].map(([id, v]) => [id, Float32Array.from(v)])),
        optimizer: toOptimizerSpec(exp.optimizer),
      });
      this.state.status = 'running';
    } catch (e) {
      this.fail(e);
    }
  }

  queueStep(x: Float32Array, labels: Uint32Array, lr: number, epoch: number): void {
    if (!this.live) return;
    try {
      this.session!.runStep(x, labels, lr);
      this.lrByStep.set(this.session!.step, lr);
      this.epochByStep.set(this.session!.step, epoch);
    } catch (e) {
      this.fail(e);
    }
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
      this.state.train.push({ step: m.step, epoch: this.epochByStep.get(m.step) ?? 0, loss: m.loss, acc: m.correct / m.batchSize, lr, gradNorm: m.gradNorm });
      this.lrByStep.delete(m.step);
      this.epochByStep.delete(m.step);
      this.state.step = m.step;
      if (isDiverged(m)) this.diverge(m);
    }
    const last = metrics[metrics.length - 1];
    if (last && this.session) this.state.gradNorms = { names: this.session.params.map((p) => p.name), values: [...last.paramGradNorms] };
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

  finish(status: 'finished' | 'stopped'): void {
    if (this.live) this.state.status = status;
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
    this.state.status = 'failed';
    this.state.message = e instanceof Error ? e.message : String(e);
    this.release();
  }
}
