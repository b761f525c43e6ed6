// The init explorer's work in the Worker (no training): measure the chosen schemes' stage
// (stageNet.ts) at the explorer's settings, or run the depth sweep. A new update cancels
// the one in progress (it stops before its next GPU measurement) and waits for it to
// let go of the device; cancelSweep() stops the sweep, cancel() both. Framework-free; LabService exposes it.

import type { GpuContext } from '../engine';
import type { InitSchemeId } from '../nn';
import { depthSweep, type DepthSweepRequest, type SweepProgress, type SweepRow } from './depthSweep';
import { measureStage, stageNet, stageProblems, type StageMeasurement, type StageSettings } from './stageNet';

/** The message of an update or sweep that a newer one (or cancel) replaced. */
export const EXPLORER_CANCELLED = 'cancelled: replaced by a newer request';

export interface ExploreRequest {
  settings: StageSettings;
  schemes: readonly InitSchemeId[];
}

export interface ExploreProgress {
  /** Schemes measured so far. */
  done: number;
  total: number;
}

interface ExplorerRun {
  scheme: InitSchemeId;
  /** Absent when the scheme cannot build this net; `problem` says why. */
  measurement?: StageMeasurement;
  problem?: string;
}

export interface ExploreResult {
  settings: StageSettings;
  runs: ExplorerRun[];
}

class Lane {
  private ctl?: AbortController;
  private running: Promise<unknown> = Promise.resolve();

  /** Cancels the previous job, waits for it to stop, then runs `job`. */
  async run<T>(job: (abort: AbortSignal) => Promise<T>): Promise<T> {
    this.cancel();
    const ctl = new AbortController();
    this.ctl = ctl;
    const previous = this.running;
    const mine = previous
      .catch(() => undefined)
      .then(() => {
        ctl.signal.throwIfAborted();
        return job(ctl.signal);
      });
    this.running = mine.catch(() => undefined);
    return mine;
  }

  cancel(): void {
    this.ctl?.abort(new Error(EXPLORER_CANCELLED));
  }
}

export class InitExplorer {
  private readonly updates = new Lane();
  private readonly sweeps = new Lane();

  constructor(private readonly device: () => Promise<GpuContext>) {}

  /** Every chosen scheme's spectrum, reach map, signal propagation and branch balance. */
  explore(req: ExploreRequest, onProgress: (p: ExploreProgress) => void = () => {}): Promise<ExploreResult> {
    const problems = stageProblems(req.settings);
    if (req.schemes.length === 0) problems.push('choose at least one scheme');
    if (problems.length) return Promise.reject(new Error(`init explorer: ${problems.join('; ')}`));
    return this.updates.run(async (abort) => {
      const ctx = await this.device();
      const runs: ExplorerRun[] = [];
      for (const scheme of req.schemes) {
        const problem = stageNet(req.settings, scheme).problems.join(' ');
        runs.push(problem ? { scheme, problem } : { scheme, measurement: await measureStage(ctx, req.settings, scheme, { abort }) });
        onProgress({ done: runs.length, total: req.schemes.length });
      }
      return { settings: req.settings, runs };
    });
  }

  sweep(req: DepthSweepRequest, onProgress: (p: SweepProgress) => void = () => {}): Promise<SweepRow[]> {
    return this.sweeps.run(async (abort) => depthSweep(await this.device(), req, { abort, onProgress }));
  }

  cancelSweep(): void {
    this.sweeps.cancel();
  }

  cancel(): void {
    this.updates.cancel();
    this.sweeps.cancel();
  }
}
