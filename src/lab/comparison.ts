// Trains several runs side by side on one device, each over the experiment's seeds:
// every step, every live run with seed k gets the same batch of seed k's stream (same
// data order, same augmentation), so the comparison is fair within each seed.
// Metrics are read back every few steps, never inside a step. Pause, resume and stop
// take effect between steps. Runs in a Worker (browser) and in Node (CLI).

import type { Batcher, Dataset } from '../data';
import type { GpuContext, StepValidation } from '../engine';
import { makeLrFunction } from '../nn';
import { assertValidExperiment } from './experimentChecks';
import { type ExperimentConfig } from './experimentConfig';
import { datasetShape } from './modelFactory';
import type { ComparisonPhase, ComparisonSnapshot, KernelChoiceSummary, RunProfile } from './runState';
import type { SignalRecord, SpectrumRecord } from './diagnostics';
import type { DiagnosticInputs } from './diagnosticInputs';
import { comparisonData, testBatches } from './comparisonData';
import { measureRun, restoredDiagnostics } from './runDiagnostics';
import type { ModelCard } from './weights';
import { kernelChoiceSummary, TrainingRun, type RunCheckpoint } from './trainingRun';
import { seedOf } from './seeds';
import { profileProblem } from '../engine';
/** For the CLI's --validate: one log line per validated step. */
export { describeValidation } from '../engine';

export interface ComparisonOptions {
  /** Read metrics back every this many steps (default: adaptive, about 4 reads a
   * second, so slow steps still show every point quickly and fast ones batch reads). */
  readEvery?: number;
  /** Called after every metrics read and phase change with a fresh snapshot. */
  onUpdate?: (s: ComparisonSnapshot) => void;
  /** Keep an in-memory checkpoint every this many steps (default 50) and on pause. */
  checkpointEvery?: number;
  /** A new device after the old one was lost; without it a lost device ends the runs. */
  recoverDevice?: () => Promise<GpuContext>;
  /** Continue a comparison from a saved checkpoint (e.g. after a page reload). */
  resumeFrom?: ComparisonCheckpoint;
  /** Called with every checkpoint taken, to persist it. */
  onCheckpoint?: (cp: ComparisonCheckpoint) => void | Promise<void>;
  /** VALIDATE mode: check the first N steps of every run against the float64 interpreter. */
  validateSteps?: number;
  onValidation?: (runKey: string, v: StepValidation) => void;
  /** Pipelines compiled at once with createComputePipelineAsync (default: all), or 0
   * to compile synchronously: in Chromium all at once reached the first step 2x sooner,
   * in Node (Dawn, SwiftShader) the synchronous path was faster (bench/RESULTS.md). */
  compileConcurrency?: number;
}

/** Everything needed to continue the comparison exactly: per run its GPU state and
 * history, the data position and the diagnostics so far. Structured-clonable. */
export interface ComparisonCheckpoint {
  step: number;
  /** Every seed's batch stream is at the same position (same split, same batch size). */
  position: { epoch: number; indexInEpoch: number };
  /** Per run and seed, in the order of Comparison.runs. */
  runs: RunCheckpoint[];
  spectra: SpectrumRecord[];
  signals: SignalRecord[];
}

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

export class Comparison {
  /** Every run with every seed: run 1 seed 1, run 1 seed 2, ..., run 2 seed 1, ... */
  readonly runs: TrainingRun[];
  private phase: ComparisonPhase = 'idle';
  private step = 0;
  private resumeWaiter?: () => void;
  private stopRequested = false;
  private rate = { steps: 0, ms: 0 };
  private compileMs = 0;
  private activity?: string;
  private kernels?: KernelChoiceSummary;
  private saved?: ComparisonCheckpoint;
  private lost = false;
  private recoveries: number[] = [];
  private spectra: SpectrumRecord[] = [];
  private signals: SignalRecord[] = [];
  private warnings: string[] = [];
  private measureRequested = false;
  private profileRequested = false;
  private profiles: RunProfile[] = [];
  private unsubscribe?: () => void;
  /** One batch stream per seed. */
  private readonly train: Batcher[];
  private readonly test: Batcher;
  /** Per seed. */
  private readonly diagnosticInputs: DiagnosticInputs[];

  constructor(
    private ctx: GpuContext,
    readonly experiment: ExperimentConfig,
    private readonly dataset: Dataset,
    private readonly opts: ComparisonOptions = {},
  ) {
    assertValidExperiment(experiment);
    const seeds = Array.from({ length: experiment.seeds }, (_, k) => seedOf(experiment.seed, k));
    this.runs = experiment.schemes.flatMap((s) => seeds.map((seed, k) => new TrainingRun(s, k, seed)));
    const data = comparisonData(experiment, dataset, seeds);
    this.train = data.train;
    this.test = data.test;
    this.diagnosticInputs = data.diagnosticInputs;
    this.warnings.push(...data.warnings);
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
      activity: this.activity,
      ...(this.kernels && { kernels: { ...this.kernels } }),
      gpuBytesInUse: this.ctx.pool.getStats().inUseBytes,
      recoveredAt: [...this.recoveries],
      spectra: [...this.spectra],
      signals: [...this.signals],
      warnings: [...this.warnings],
      profiles: [...this.profiles],
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

  /** Measures the spectrum and signal propagation of every live run at the next step
   * boundary (also while paused). */
  requestDiagnostics(): void {
    this.measureRequested = true;
    this.resumeWaiter?.();
  }

  /** Times every dispatch of each live run's next step on the GPU; the results land in
   * the snapshot's `profiles`. Throws, saying why, where the adapter cannot time. */
  requestProfile(): void {
    const problem = profileProblem(this.ctx.features);
    if (problem) throw new Error(problem);
    this.profileRequested = true;
  }

  stop(): void {
    this.stopRequested = true;
    this.resumeWaiter?.();
  }

  /** Compiles every run, then trains until the last step, a stop, or every run ending. */
  async run(): Promise<ComparisonSnapshot> {
    const shape = datasetShape(this.dataset);
    this.watchDevice();
    this.setPhase('compiling');
    const t0 = performance.now();
    const from = this.opts.resumeFrom;
    if (from && from.runs.length !== this.runs.length)
      throw new Error(
        `the checkpoint holds ${from.runs.length} runs (runs x seeds), this experiment trains ${this.runs.length}: it belongs to a different experiment`,
      );
    for (const [i, r] of this.runs.entries()) await this.compileRun(r, shape, from?.runs[i]);
    this.kernels = kernelChoiceSummary(this.runs, this.ctx.tuner.enabled);
    this.activity = undefined;
    if (from) {
      this.step = from.step;
      this.setPosition(from.position);
      const restored = restoredDiagnostics(from);
      this.spectra = restored.spectra;
      this.signals = restored.signals;
      if (restored.warning) this.warnings.push(restored.warning);
      this.saved = from;
    }
    this.compileMs = performance.now() - t0;
    this.setPhase('running');
    const every = this.opts.checkpointEvery ?? 50;
    if (!from) {
      await this.saveCheckpoint();
      if (this.experiment.spectrumAt.includes(0)) await this.measure();
    }
    const lrAt = makeLrFunction(this.experiment.optimizer.lr, this.experiment.schedule, this.experiment.warmupSteps);
    let readEvery = this.opts.readEvery ?? 1;
    let nextRead = this.step + readEvery;
    let mark = performance.now();
    let stepsSinceMark = 0;
    this.activity = 'first step';
    this.emit();
    while (this.step < this.experiment.steps && !this.stopRequested && this.runs.some((r) => r.live)) {
      if (this.lost) {
        await this.recover(shape);
        mark = performance.now();
        stepsSinceMark = 0;
        nextRead = this.step + readEvery;
        continue;
      }
      if (this.measureRequested) {
        this.measureRequested = false;
        await this.measure();
        continue;
      }
      if (this.phase === 'paused') {
        // Read the steps queued before the pause and show (and save) them first, so the
        // saved history and the checkpoint hold the same steps.
        await Promise.all(this.runs.map((r) => r.collect()));
        this.emit();
        await this.saveCheckpoint();
        // Resume may have come while the checkpoint was saved; waiting then would hang.
        if (this.phase === 'paused') await new Promise<void>((r) => (this.resumeWaiter = r));
        this.resumeWaiter = undefined;
        mark = performance.now();
        stepsSinceMark = 0;
        continue;
      }
      const profiling = this.profileRequested && this.step >= (this.opts.validateSteps ?? 0);
      if (profiling) {
        this.profileRequested = false;
        for (const r of this.runs) r.profileNextStep();
      }
      const batches = this.train.map((t) => t.next());
      this.step += 1;
      const lr = lrAt(this.step);
      if (this.step <= (this.opts.validateSteps ?? 0)) {
        await Promise.all(
          this.runs.map(async (r) => {
            const batch = batches[r.seedIndex];
            const v = await r.validateStep(batch.x, batch.labels, lr, batch.epoch, batch.mix);
            if (v) this.opts.onValidation?.(r.state.key, v);
          }),
        );
      } else
        for (const r of this.runs) {
          const batch = batches[r.seedIndex];
          r.queueStep(batch.x, batch.labels, lr, batch.epoch, batch.mix);
          // Step 1: each run's loss shows when it is there (a read waits for all work queued before).
          if (this.step === 1) await r.collect().then(() => this.emit());
        }
      stepsSinceMark += 1;
      const last = this.step === this.experiment.steps;
      const read = this.step >= nextRead || last || profiling;
      if (read) {
        await Promise.all(this.runs.map((r) => r.collect()));
        if (profiling) await this.keepProfiles();
        this.activity = undefined;
        const now = performance.now();
        this.rate = { steps: stepsSinceMark, ms: now - mark };
        if (this.opts.readEvery === undefined)
          readEvery = Math.min(20, Math.max(1, Math.round((250 * stepsSinceMark) / Math.max(1, now - mark))));
        nextRead = this.step + readEvery;
        mark = now;
        stepsSinceMark = 0;
      }
      if (this.step % this.experiment.evalEvery === 0 || last) await this.evaluate();
      if (read) this.emit();
      if (this.step % every === 0 && !last && !this.lost) await this.saveCheckpoint();
      if (this.experiment.spectrumAt.includes(this.step) && !this.lost) await this.measure();
      await yieldToEvents();
    }
    if (this.lost) await this.recover(shape);
    await Promise.all(this.runs.map((r) => r.collect()));
    this.unsubscribe?.();
    await Promise.all(this.runs.map((r) => r.finish(this.stopRequested ? 'stopped' : 'finished')));
    this.setPhase(this.stopRequested ? 'stopped' : 'finished');
    return this.snapshot();
  }

  private async keepProfiles(): Promise<void> {
    for (const r of this.runs) {
      const p = await r.takeProfile();
      if (p) this.profiles = [...this.profiles.filter((q) => q.runKey !== p.runKey), p];
    }
  }

  /** A run's weights as safetensors + model card (see TrainingRun.weights). */
  async runWeights(runKey: string): Promise<{ safetensors: Uint8Array; card: ModelCard }> {
    const run = this.runs.find((r) => r.state.key === runKey);
    if (!run) throw new Error(`no run "${runKey}" in this comparison`);
    return run.weights();
  }

  /** Frees every run's GPU memory (also done when the run ends). */
  dispose(): void {
    for (const r of this.runs) r.release();
  }

  /** Compiles one run, saying how far its new pipelines are (the first run compiles
   * nearly all; the runs after it reuse them). */
  private async compileRun(r: TrainingRun, shape: ReturnType<typeof datasetShape>, from?: RunCheckpoint): Promise<void> {
    await r.compile(this.ctx, this.experiment, shape, from, {
      concurrency: this.opts.compileConcurrency,
      onProgress: (done, total, phase) => {
        this.activity =
          phase === 'tuning'
            ? `tuning kernels ${done}/${total} shapes (${this.nameOf(r)})`
            : `compiling pipelines ${done}/${total} (${this.nameOf(r)})`;
        this.emit();
      },
    });
    await yieldToEvents();
  }

  /** Over every run compiled: its distinct kernel shapes with variants, and how many
   * of them had to be timed (the rest were known). */
  /** Spectrum, signal propagation and branch balance of every live run at the current step. */
  private async measure(): Promise<void> {
    const live = this.runs.filter((r) => r.live && r.config);
    for (const [i, r] of live.entries()) {
      this.activity = `measuring diagnostics: ${this.nameOf(r)} ${i + 1}/${live.length}`;
      this.emit();
      try {
        const m = await measureRun(this.ctx, this.experiment, r, this.step, this.diagnosticInputs[r.seedIndex]);
        this.spectra.push(...m.spectra);
        this.signals.push(...m.signals);
      } catch (e) {
        this.warnings.push(`${this.nameOf(r)}: diagnostics at step ${this.step} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.activity = undefined;
    this.emit();
  }

  private watchDevice(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.ctx.events.on((e) => {
      if (e.type !== 'device-lost') return;
      this.lost = true;
      for (const r of this.runs) r.deviceLost = true;
    });
  }

  private async saveCheckpoint(): Promise<void> {
    if (this.lost) return;
    const runs = await Promise.all(this.runs.map((r) => r.checkpoint()));
    if (this.lost) return;
    this.saved = { step: this.step, position: this.train[0].position, runs, spectra: [...this.spectra], signals: [...this.signals] };
    await this.opts.onCheckpoint?.(this.saved);
  }

  /** A new device, every live run rebuilt from the last checkpoint, the data order
   * rewound to it: the steps since are retrained identically. */
  private async recover(shape: ReturnType<typeof datasetShape>): Promise<void> {
    const saved = this.saved;
    if (!this.opts.recoverDevice || !saved) {
      for (const r of this.runs) {
        r.deviceLost = false;
        if (r.live) r.state = { ...r.state, status: 'failed', message: 'the GPU device was lost and no recovery was possible' };
        r.release();
      }
      this.lost = false;
      return;
    }
    this.ctx = await this.opts.recoverDevice();
    this.lost = false;
    this.watchDevice();
    for (const [i, r] of this.runs.entries()) {
      r.deviceLost = false;
      const cp = saved.runs[i];
      if (cp) await this.compileRun(r, shape, cp);
      r.setPaused(this.phase === 'paused');
    }
    this.activity = undefined;
    this.setPosition(saved.position);
    this.step = saved.step;
    this.recoveries.push(saved.step);
    this.emit();
  }

  private async evaluate(): Promise<void> {
    const batches = testBatches(this.test, this.experiment.evalBatches);
    for (const r of this.runs) if (batches.length) await r.evaluate(batches);
  }

  /** "He + BN", or with several seeds "He + BN, seed 2". */
  private nameOf(r: TrainingRun): string {
    return this.experiment.seeds > 1 ? `${r.state.label}, seed ${r.seedIndex + 1}` : r.state.label;
  }

  private setPosition(p: ComparisonCheckpoint['position']): void {
    for (const t of this.train) t.position = p;
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
