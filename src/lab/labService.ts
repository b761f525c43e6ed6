// The lab as the browser Worker (or a Node test) drives it: one GPU device, the chosen
// dataset, one comparison at a time, and diagnostics. Framework-free; the Worker
// exposes it over RPC. Device loss is reported through `onEvent`.

import type { Dataset } from '../data/dataset';
import { runSelfCheck } from '../engine/webgpu/selfCheck';
import type { GpuContext } from '../engine/webgpu/device';
import { Comparison } from './comparison';
import { loadBuiltinDataset, type AssetReader } from './datasets';
import { assertValidExperiment, type ExperimentConfig } from './experiment';
import type { ComparisonSnapshot } from './runState';

export interface GpuSummary {
  adapter: GpuContext['adapter'];
  maxBufferBytes: number;
  selfCheckError: number;
}

export interface DatasetInfo {
  id: string;
  name: string;
  channels: number;
  size: number;
  classes: number;
  classNames: string[];
  trainCount: number;
  testCount: number;
}

export type LabEvent = { type: 'device-lost'; message: string } | { type: 'gpu-error'; message: string };

export function summarizeDataset(d: Dataset): DatasetInfo {
  return { id: d.id, name: d.name, channels: d.channels, size: d.height, classes: d.classNames.length, classNames: d.classNames, trainCount: d.train.count, testCount: d.test.count };
}

export class LabService {
  private ctx?: GpuContext;
  private dataset?: Dataset;
  private comparison?: Comparison;

  constructor(
    private readonly acquire: () => Promise<GpuContext>,
    private readonly gpu: GPU | undefined,
    private readonly readAsset: AssetReader,
    private readonly onEvent: (e: LabEvent) => void = () => {},
  ) {}

  /** Acquires the device and proves real kernels run on it. */
  async init(): Promise<GpuSummary> {
    const check = await runSelfCheck(this.gpu);
    await this.device();
    return { adapter: check.adapter, maxBufferBytes: check.limits.maxBufferSize, selfCheckError: check.maxAbsError };
  }

  async loadBuiltin(id: string): Promise<DatasetInfo> {
    this.dataset = await loadBuiltinDataset(id, this.readAsset);
    return summarizeDataset(this.dataset);
  }

  /** Trains the experiment; `onUpdate` gets snapshots while it runs. */
  async start(exp: ExperimentConfig, onUpdate: (s: ComparisonSnapshot) => void): Promise<ComparisonSnapshot> {
    assertValidExperiment(exp);
    if (this.comparison) throw new Error('a comparison is already running: stop it first');
    if (!this.dataset || this.dataset.id !== exp.dataset) await this.loadBuiltin(exp.dataset);
    const ctx = await this.device();
    this.comparison = new Comparison(ctx, exp, this.dataset!, {
      onUpdate,
      // After a device loss the runs continue from their last checkpoint on a new device.
      recoverDevice: () => this.device(),
    });
    try {
      return await this.comparison.run();
    } finally {
      this.comparison.dispose();
      this.comparison = undefined;
    }
  }

  pause(): void {
    this.comparison?.pause();
  }

  resume(): void {
    this.comparison?.resume();
  }

  stop(): void {
    this.comparison?.stop();
  }

  private async device(): Promise<GpuContext> {
    if (this.ctx) return this.ctx;
    const ctx = await this.acquire();
    ctx.events.on((e) => {
      if (e.type === 'device-lost') {
        this.ctx = undefined;
        this.onEvent({ type: 'device-lost', message: e.message || e.reason });
      } else this.onEvent({ type: 'gpu-error', message: `${e.kind}: ${e.message}` });
    });
    this.ctx = ctx;
    return ctx;
  }
}
