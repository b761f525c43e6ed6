// Trains several schemes side by side on one device: every step, every live run gets
// the same batch (same data order, same augmentation), so the comparison is fair.
// Metrics are read back every few steps, never inside a step. Pause, resume and stop
// take effect between steps. Runs in a Worker (browser) and in Node (CLI).

import { Batcher, channelStats } from '../data/batcher';
import type { Dataset } from '../data/dataset';
import type { GpuContext } from '../engine/webgpu/device';
import { makeLrFunction } from '../nn/schedule';
import { assertValidExperiment, type ExperimentConfig } from './experiment';
import { datasetShape } from './modelFactory';
import type { ComparisonPhase, ComparisonSnapshot } from './runState';
import { TrainingRun } from './trainingRun';

export interface ComparisonOptions {
  /** Read metrics back every this many steps (default 10). */
  readEvery?: number;
  /** Called after every metrics read and phase change with a fresh snapshot. */
  onUpdate?: (s: ComparisonSnapshot) => void;
}

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

export class Comparison {
  readonly runs: TrainingRun[];
  private phase: ComparisonPhase = 'idle';
  private step = 0;
  private resumeWaiter?: () => void;
  private stopRequested = false;
  private rate = { steps: 0, ms: 0 };
  private compileMs = 0;
  private readonly train: Batcher;
  private readonly test: Batcher;

  constructor(
    private readonly ctx: GpuContext,
    readonly experiment: ExperimentConfig,
    private readonly dataset: Dataset,
    private readonly opts: ComparisonOptions = {},
  ) {
    assertValidExperiment(experiment);
    this.runs = experiment.schemes.map((s) => new TrainingRun(s));
    const dims = { channels: dataset.channels, height: dataset.height, width: dataset.width };
    const normalize = channelStats(dataset.train, dims);
    const b = experiment.batchSize;
    if (dataset.train.count < b) throw new Error(`the training set has ${dataset.train.count} images, fewer than one batch of ${b}; lower the batch size`);
    this.train = new Batcher(dataset.train, dims, { batchSize: b, seed: experiment.seed, shuffle: true, dropLast: true, normalize, augment: experiment.augment });
    this.test = new Batcher(dataset.test, dims, { batchSize: b, seed: experiment.seed, shuffle: false, dropLast: true, normalize });
  }

  snapshot(): ComparisonSnapshot {
    const sps = this.rate.ms > 0 ? (1000 * this.rate.steps) / this.rate.ms : 0;
    const live = this.runs.filter((r) => r.live).length;
    return {
      phase: this.phase,
      step: this.step,
      totalSteps: this.experiment.steps,
      stepsPerSecond: sps,
      imagesPerSecond: sps * this.experiment.batchSize * live,
      etaSeconds: sps > 0 ? (this.experiment.steps - this.step) / sps : Number.NaN,
      compileMs: this.compileMs,
      gpuBytesInUse: this.ctx.pool.getStats().inUseBytes,
      runs: this.runs.map((r) => structuredClone(r.state)),
    };
  }

  pause(): void {
    if (this.phase === 'running') this.setPhase('paused');
  }

  resume(): void {
    if (this.phase !== 'paused') return;
    this.setPhase('running');
    this.resumeWaiter?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.resumeWaiter?.();
  }

  /** Compiles every run, then trains until the last step, a stop, or every run ending. */
  async run(): Promise<ComparisonSnapshot> {
    const shape = datasetShape(this.dataset);
    this.setPhase('compiling');
    const t0 = performance.now();
    for (const r of this.runs) {
      r.compile(this.ctx, this.experiment, shape);
      await yieldToEvents();
    }
    this.compileMs = performance.now() - t0;
    this.setPhase('running');
    const lrAt = makeLrFunction(this.experiment.optimizer.lr, this.experiment.schedule, this.experiment.warmupSteps);
    const readEvery = this.opts.readEvery ?? 10;
    let mark = performance.now();
    let stepsSinceMark = 0;
    while (this.step < this.experiment.steps && !this.stopRequested && this.runs.some((r) => r.live)) {
      if (this.phase === 'paused') {
        await new Promise<void>((r) => (this.resumeWaiter = r));
        this.resumeWaiter = undefined;
        mark = performance.now();
        stepsSinceMark = 0;
        continue;
      }
      const batch = this.train.next();
      this.step += 1;
      const lr = lrAt(this.step);
      for (const r of this.runs) r.queueStep(batch.x, batch.labels, lr, batch.epoch);
      stepsSinceMark += 1;
      const last = this.step === this.experiment.steps;
      if (this.step % readEvery === 0 || last) {
        await Promise.all(this.runs.map((r) => r.collect()));
        const now = performance.now();
        this.rate = { steps: stepsSinceMark, ms: now - mark };
        mark = now;
        stepsSinceMark = 0;
      }
      if (this.step % this.experiment.evalEvery === 0 || last) await this.evaluate();
      if (this.step % readEvery === 0 || last) this.emit();
      await yieldToEvents();
    }
    await Promise.all(this.runs.map((r) => r.collect()));
    for (const r of this.runs) r.finish(this.stopRequested ? 'stopped' : 'finished');
    this.setPhase(this.stopRequested ? 'stopped' : 'finished');
    return this.snapshot();
  }

  /** Frees every run's GPU memory (also done when the run ends). */
  dispose(): void {
    for (const r of this.runs) r.release();
  }

  private async evaluate(): Promise<void> {
    const max = this.experiment.evalBatches || this.test.batchesPerEpoch;
    const n = Math.min(max, this.test.batchesPerEpoch);
    if (n === 0) return;
    // The same test batches for every run and every evaluation.
    const batches: { x: Float32Array; labels: Uint32Array }[] = [];
    this.test.position = { epoch: 0, indexInEpoch: 0 };
    for (let i = 0; i < n; i++) {
      const b = this.test.next();
      batches.push({ x: b.x.slice(), labels: b.labels.slice() });
    }
    for (const r of this.runs) await r.evaluate(batches);
  }

  private setPhase(p: ComparisonPhase): void {
    this.phase = p;
    for (const r of this.runs) r.setPaused(p === 'paused');
    this.emit();
  }

  private emit(): void {
    this.opts.onUpdate?.(this.snapshot());
  }
}
