// The lab as the browser Worker (or a Node test) drives it: one GPU device, the chosen
// dataset (built-in, or uploaded and kept in IndexedDB), one comparison at a time, and
// diagnostics. Framework-free; the Worker exposes it over RPC. Device loss is reported
// through `onEvent`.

import { profileProblem, runSelfCheck } from '../engine';
import { emptyClasses } from '../data';
import type { Dataset, ImageDecoder } from '../data';
/** The compiler's DEBUG level (docs/architecture.md section 8), for the Worker and the CLI. */
export { setDebugLevel } from '../engine';
import type { GpuContext } from '../engine';
import { Comparison, type ComparisonCheckpoint } from './comparison';
import { ExperimentStore, type StoredExperimentSummary } from './experimentStore';
import { parseExport } from './importExport';
import type { ModelCard } from './weights';
import { loadBuiltinDataset, type AssetReader } from './datasets';
import { previewDataset, type DatasetPreview } from './datasetPreview';
import type { DatasetStorage, StoredDatasetSummary } from './datasetStore';
import type { StorageEstimator } from './storageRoom';
import {
  checkDatasetName,
  loadAnyDataset,
  storeWithoutEmptyClasses,
  uploadDataset,
  type UploadFile,
  type UploadOptions,
  type UploadProgress,
} from './userDatasets';
import { assertValidExperiment } from './experimentChecks';
import { type ExperimentConfig } from './experimentConfig';
import { encodeExperiment } from './urlCodec';
import type { ComparisonSnapshot } from './runState';
import type { ExternalRun } from './externalRuns';
import { InitExplorer, type ExploreProgress, type ExploreRequest, type ExploreResult } from './initExplorer';
import type { DepthSweepRequest, SweepProgress, SweepRow } from './depthSweep';

export interface GpuSummary {
  adapter: GpuContext['adapter'];
  maxBufferBytes: number;
  selfCheckError: number;
  /** Why this adapter cannot profile (no timestamp queries); absent when it can. */
  profileProblem?: string;
}

export interface DatasetInfo {
  id: string;
  name: string;
  channels: number;
  /** The image height (the side, for the square images the ResNets take). */
  size: number;
  width: number;
  classes: number;
  classNames: string[];
  trainCount: number;
  testCount: number;
  /** Declared classes without a single example (a CIFAR batch of two labels has 8). */
  emptyClasses: number;
}

export type LabEvent =
  | { type: 'device-lost'; message: string }
  | { type: 'gpu-error'; message: string }
  | { type: 'storage-error'; message: string }
  /** An experiment's record was written (created, or a snapshot / checkpoint saved). */
  | { type: 'saved'; id: string };

function summarizeDataset(d: Dataset): DatasetInfo {
  return {
    id: d.id,
    name: d.name,
    channels: d.channels,
    size: d.height,
    width: d.width,
    classes: d.classNames.length,
    classNames: d.classNames,
    trainCount: d.train.count,
    testCount: d.test.count,
    emptyClasses: emptyClasses(d).length,
  };
}

export interface LabServiceOptions {
  /** Where uploads are kept; without it uploads fail with a clear message. */
  storage?: DatasetStorage;
  /** Decodes PNG/JPEG for image-folder uploads (createBrowserDecoder in a Worker). */
  decode?: ImageDecoder;
  /** Storage estimate asked before a long decode; navigator.storage's by default (storageRoom.ts). */
  estimate?: StorageEstimator;
  /** Where experiments, their histories and checkpoints are kept as they run. */
  experiments?: ExperimentStore;
}

export class LabService {
  private ctx?: GpuContext;
  private dataset?: Dataset;
  private comparison?: Comparison;
  /** The last comparison that ended in this session: its runs' final weights stay
   * exportable until the next one starts. */
  private ended?: Comparison;
  private uploading = false;
  /** Kernel tuning as the page set it; undefined: as the device came (see setTuning). */
  private tuning?: boolean;
  private readonly explorer = new InitExplorer(() => this.device());

  constructor(
    private readonly acquire: () => Promise<GpuContext>,
    private readonly gpu: GPU | undefined,
    private readonly readAsset: AssetReader,
    private readonly onEvent: (e: LabEvent) => void = () => {},
    private readonly opts: LabServiceOptions = {},
  ) {}

  /** Acquires the device and proves real kernels run on it. */
  async init(): Promise<GpuSummary> {
    const check = await runSelfCheck(this.gpu);
    const ctx = await this.device();
    const problem = profileProblem(ctx.features);
    return {
      adapter: check.adapter,
      maxBufferBytes: check.limits.maxBufferSize,
      selfCheckError: check.maxAbsError,
      ...(problem && { profileProblem: problem }),
    };
  }

  async loadBuiltin(id: string): Promise<DatasetInfo> {
    this.dataset = await loadBuiltinDataset(id, this.readAsset);
    return summarizeDataset(this.dataset);
  }

  /** The dataset the next comparison would use if its id matches. */
  currentDataset(): DatasetInfo | undefined {
    return this.dataset && summarizeDataset(this.dataset);
  }

  /** Makes a built-in or a stored upload the current dataset. */
  async loadDataset(id: string): Promise<DatasetInfo> {
    if (this.dataset?.id !== id) this.dataset = await loadAnyDataset(id, this.readAsset, this.opts.storage);
    return summarizeDataset(this.dataset);
  }

  /** Parses the files here (in the Worker), stores the dataset, and only then makes it
   * current: a bad file or a full disk leaves the current dataset as it was. `notes` say
   * what the parser left out or assumed (Tiny ImageNet's unlabelled test/). */
  async uploadFiles(
    files: UploadFile[],
    opts: UploadOptions,
    onProgress: (p: UploadProgress) => void = () => {},
  ): Promise<DatasetInfo & { notes: string[] }> {
    if (this.comparison) throw new Error('a comparison is running: stop it before uploading a dataset');
    if (this.uploading) throw new Error('another upload is still being processed: wait for it to finish');
    this.uploading = true;
    try {
      const { dataset, notes } = await uploadDataset(
        files,
        opts,
        { storage: this.storage(), decode: this.opts.decode, estimate: this.opts.estimate },
        onProgress,
      );
      this.dataset = dataset;
      return { ...summarizeDataset(dataset), notes };
    } finally {
      this.uploading = false;
    }
  }

  /** Stores a copy of dataset `id` without its empty classes and makes it current; the
   * original stays stored as it was. */
  async dropEmptyClasses(id: string): Promise<DatasetInfo> {
    if (this.comparison) throw new Error('a comparison is running: stop it before changing the dataset');
    const d = this.dataset?.id === id ? this.dataset : await loadAnyDataset(id, this.readAsset, this.opts.storage);
    this.dataset = await storeWithoutEmptyClasses(d, this.storage());
    return summarizeDataset(this.dataset);
  }

  /** Renames a stored upload (checked: not empty, not too long, not another upload's name). */
  async renameStored(id: string, name: string): Promise<StoredDatasetSummary> {
    const storage = this.storage();
    const clean = checkDatasetName(name, id, await storage.list());
    const summary = await storage.rename(id, clean);
    if (this.dataset?.id === id) this.dataset = { ...this.dataset, name: clean };
    return summary;
  }

  listStored(): Promise<StoredDatasetSummary[]> {
    return this.storage().list();
  }

  async loadStored(id: string): Promise<DatasetInfo> {
    return this.loadDataset(id);
  }

  async deleteStored(id: string): Promise<void> {
    await this.storage().delete(id);
    // A deleted upload must not keep training from memory under an id nothing resolves.
    if (this.dataset?.id === id && !this.comparison) this.dataset = undefined;
  }

  /** Samples per class and statistics of a dataset (the current one, or loaded for this). */
  async datasetPreview(id: string): Promise<DatasetPreview> {
    const d = this.dataset?.id === id ? this.dataset : await loadAnyDataset(id, this.readAsset, this.opts.storage);
    return previewDataset(d);
  }

  /** Trains the experiment (or continues a saved one from its checkpoint); `onUpdate`
   * gets snapshots while it runs. Histories and checkpoints are saved as it goes. */
  async start(exp: ExperimentConfig, onUpdate: (s: ComparisonSnapshot) => void, resumeId?: string): Promise<ComparisonSnapshot> {
    if (this.comparison) throw new Error('a comparison is already running: stop it first');
    const stored = resumeId ? await this.opts.experiments?.get(resumeId) : undefined;
    if (resumeId && !stored?.checkpoint) throw new Error('this experiment has no checkpoint to resume from');
    if (stored) exp = stored.summary.config;
    assertValidExperiment(exp);
    await this.loadDataset(exp.dataset);
    // Held here: an upload finishing while the device is acquired must not swap it.
    const dataset = this.dataset!;
    const ctx = await this.device();
    const saver = await this.saver(exp, resumeId);
    this.comparison = new Comparison(ctx, exp, dataset, {
      onUpdate: (s) => {
        onUpdate(s);
        saver.snapshot(s);
      },
      onCheckpoint: (cp) => saver.checkpoint(cp),
      resumeFrom: stored?.checkpoint,
      // After a device loss the runs continue from their last checkpoint on a new device.
      recoverDevice: () => this.device(),
    });
    try {
      const end = await this.comparison.run();
      await saver.final(end);
      return end;
    } finally {
      this.comparison.dispose();
      this.ended = this.comparison;
      this.comparison = undefined;
    }
  }

  listExperiments(): Promise<StoredExperimentSummary[]> {
    return this.opts.experiments?.list() ?? Promise.resolve([]);
  }

  async experimentResults(id: string): Promise<{ summary: StoredExperimentSummary; snapshot?: ComparisonSnapshot } | undefined> {
    const got = await this.opts.experiments?.get(id);
    return got && { summary: got.summary, snapshot: got.snapshot };
  }

  async deleteExperiment(id: string): Promise<void> {
    await this.opts.experiments?.delete(id);
  }

  /** Stores an exported results JSON as a (finished) experiment to view and compare. */
  async importResults(json: unknown): Promise<StoredExperimentSummary> {
    const store = this.opts.experiments;
    if (!store) throw new Error('this lab has no experiment storage (IndexedDB), so imports cannot be kept');
    const { experiment, snapshot } = parseExport(json);
    const summary = await store.create(experiment);
    await store.save(summary.id, { snapshot });
    return { ...summary, phase: snapshot.phase, step: snapshot.step };
  }

  /** A run's weights as safetensors + model card: live runs, and the runs of the
   * comparison that ended last in this session (of experiment `exp`, when given). */
  async runWeights(runKey: string, exp?: ExperimentConfig): Promise<{ safetensors: Uint8Array; card: ModelCard }> {
    const c = this.comparison ?? this.ended;
    if (!c || (exp && encodeExperiment(exp) !== encodeExperiment(c.experiment))) {
      throw new Error(
        'the weights of this run are not in memory: weights are kept for live runs and for the runs that ended last in this tab (not across reloads); run the experiment again to export them',
      );
    }
    return c.runWeights(runKey);
  }

  /** Imported runs (e.g. PyTorch) kept for this experiment config; [] when none. */
  async externalRuns(exp: ExperimentConfig): Promise<ExternalRun[]> {
    return (await this.opts.experiments?.getExternal(exp)) ?? [];
  }

  async saveExternalRuns(exp: ExperimentConfig, runs: ExternalRun[]): Promise<void> {
    const store = this.opts.experiments;
    if (!store) throw new Error('this lab has no experiment storage (IndexedDB), so imported runs are kept only until the page closes');
    await store.setExternal(exp, runs);
  }

  private async saver(exp: ExperimentConfig, resumeId: string | undefined) {
    const store = this.opts.experiments;
    const report = (e: unknown) => this.onEvent({ type: 'storage-error', message: e instanceof Error ? e.message : String(e) });
    let id = resumeId;
    if (store && !id) id = (await store.create(exp).catch((e: unknown) => (report(e), undefined)))?.id;
    if (store && id && !resumeId) this.onEvent({ type: 'saved', id });
    let last = 0;
    let lastPhase = '';
    let failed = false;
    const save = (u: Parameters<ExperimentStore['save']>[1]) => {
      if (!store || !id || failed) return Promise.resolve();
      const saved = id;
      return store.save(saved, u).then(
        () => this.onEvent({ type: 'saved', id: saved }),
        (e: unknown) => {
          failed = true; // one message, not one per step
          report(e);
        },
      );
    };
    return {
      id,
      snapshot(s: ComparisonSnapshot) {
        // Histories are saved at most every 2 s while training, at every phase change, and
        // whenever a paused comparison reports (its last points before the pause).
        if (Date.now() - last < 2000 && s.phase === lastPhase && s.phase !== 'paused') return;
        last = Date.now();
        lastPhase = s.phase;
        void save({ snapshot: s });
      },
      checkpoint: (cp: ComparisonCheckpoint) => save({ checkpoint: cp }),
      final: (s: ComparisonSnapshot) => save({ snapshot: s }),
    };
  }

  /** The init explorer (no training): a new update cancels the previous one. */
  explore(req: ExploreRequest, onProgress?: (p: ExploreProgress) => void): Promise<ExploreResult> {
    return this.explorer.explore(req, onProgress);
  }

  depthSweep(req: DepthSweepRequest, onProgress?: (p: SweepProgress) => void): Promise<SweepRow[]> {
    return this.explorer.sweep(req, onProgress);
  }

  cancelDepthSweep(): void {
    this.explorer.cancelSweep();
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

  /** Turns per-adapter kernel tuning on or off for the comparisons started from now on
   * (and on any device acquired later); the page's "Tune kernels" setting. */
  async setTuning(on: boolean): Promise<void> {
    this.tuning = on;
    (await this.device()).tuner.enabled = on;
  }

  /** Profiles the next step of the running comparison (see Comparison.requestProfile). */
  requestProfile(): void {
    if (!this.comparison) throw new Error('nothing is training: start a comparison, then profile it');
    this.comparison.requestProfile();
  }

  private storage(): DatasetStorage {
    if (!this.opts.storage) throw new Error('this lab has no dataset storage, so uploads cannot be kept; use a browser with IndexedDB');
    return this.opts.storage;
  }

  private async device(): Promise<GpuContext> {
    if (this.ctx) return this.ctx;
    const ctx = await this.acquire();
    if (this.tuning !== undefined) ctx.tuner.enabled = this.tuning;
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
