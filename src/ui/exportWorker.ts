// A short-lived Web Worker that builds the "Export to PyTorch" zip: the float64 parity
// forward and steps take seconds on big models, so they run here, beside the lab Worker,
// and never stall training. It loads the dataset itself (built-in, or an upload from
// IndexedDB) and ends when the page terminates it after one export.

import * as Comlink from 'comlink';
import { IdbDatasetStore, pytorchZip, type PytorchExportOptions, loadAnyDataset } from '../lab';
import type { ExperimentConfig } from '../lab';
import { readAsset } from './workerAssets';

const api = {
  /** The zip moves to the page instead of being copied (it can hold the dataset). */
  async exportPytorch(exp: ExperimentConfig, opts: PytorchExportOptions) {
    const zip = await pytorchZip(exp, opts, (id) => loadAnyDataset(id, readAsset, new IdbDatasetStore()));
    return Comlink.transfer(zip, [zip.buffer as ArrayBuffer]);
  },
};

export type ExportWorkerApi = typeof api;

Comlink.expose(api);
