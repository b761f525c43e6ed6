// The Web Worker that owns the GPU device and runs the lab; the page talks to it through
// comlink (typed RPC over postMessage). Nothing GPU-related runs on the main thread, and
// uploads are parsed and stored (IndexedDB) here too.

import * as Comlink from 'comlink';
import {
  acquireBrowserDevice,
  IdbDatasetStore,
  ExperimentStore,
  LabService,
  setDebugLevel,
  type LabEvent,
  browserImageDecoder,
  uploadSizeProblem,
  type UploadFile,
  type UploadOptions,
  type UploadProgress,
} from '../lab';
import { readAsset } from './workerAssets';
import type {
  ExperimentConfig,
  ComparisonSnapshot,
  ExternalRun,
  ExploreProgress,
  ExploreRequest,
  DepthSweepRequest,
  SweepProgress,
} from '../lab';

const gpu = (self as unknown as { navigator: Navigator }).navigator.gpu;
let listener: ((e: LabEvent) => void) | undefined;

const service = new LabService(
  () => acquireBrowserDevice(gpu),
  gpu,
  readAsset,
  (e) => listener?.(e),
  {
    storage: new IdbDatasetStore(),
    decode: browserImageDecoder(),
    experiments: new ExperimentStore(),
  },
);

const api = {
  init: () => service.init(),
  loadBuiltin: (id: string) => service.loadBuiltin(id),
  loadDataset: (id: string) => service.loadDataset(id),
  /** The bytes arrive transferred (moved, not copied) from the page. */
  uploadFiles: (files: UploadFile[], opts: UploadOptions, onProgress: (p: UploadProgress) => void) =>
    service.uploadFiles(files, opts, onProgress),
  uploadSizeProblem: (totalBytes: number) => uploadSizeProblem(totalBytes),
  listStored: () => service.listStored(),
  loadStored: (id: string) => service.loadStored(id),
  deleteStored: (id: string) => service.deleteStored(id),
  dropEmptyClasses: (id: string) => service.dropEmptyClasses(id),
  renameStored: (id: string, name: string) => service.renameStored(id, name),
  async datasetPreview(id: string) {
    const preview = await service.datasetPreview(id);
    // Thumbnails move to the page instead of being copied.
    return Comlink.transfer(
      preview,
      preview.classes.flatMap((c) => c.samples.map((s) => s.buffer as ArrayBuffer)),
    );
  },
  start: (exp: ExperimentConfig, onUpdate: (s: ComparisonSnapshot) => void, resumeId?: string) => service.start(exp, onUpdate, resumeId),
  listExperiments: () => service.listExperiments(),
  experimentResults: (id: string) => service.experimentResults(id),
  deleteExperiment: (id: string) => service.deleteExperiment(id),
  importResults: (text: string) => service.importResults(text),
  async runWeights(runKey: string, exp?: ExperimentConfig) {
    const w = await service.runWeights(runKey, exp);
    return Comlink.transfer(w, [w.safetensors.buffer as ArrayBuffer]);
  },
  externalRuns: (exp: ExperimentConfig) => service.externalRuns(exp),
  saveExternalRuns: (exp: ExperimentConfig, runs: ExternalRun[]) => service.saveExternalRuns(exp, runs),
  setDebug: (level: number) => setDebugLevel(level),
  explore: (req: ExploreRequest, onProgress: (p: ExploreProgress) => void) => service.explore(req, onProgress),
  depthSweep: (req: DepthSweepRequest, onProgress: (p: SweepProgress) => void) => service.depthSweep(req, onProgress),
  cancelDepthSweep: () => service.cancelDepthSweep(),
  pause: () => service.pause(),
  resume: () => service.resume(),
  stop: () => service.stop(),
  requestProfile: () => service.requestProfile(),
  setTuning: (on: boolean) => service.setTuning(on),
  onEvent(cb: (e: LabEvent) => void) {
    listener = cb;
  },
};

export type LabWorkerApi = typeof api;

Comlink.expose(api);
