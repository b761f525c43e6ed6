// "Export to PyTorch" and "Import PyTorch CSV", page side: has a short-lived export
// Worker build the zip (the lab Worker keeps training) and downloads it; parses a train.py metrics CSV into external runs, merges them into
// the store and has the Worker keep them (IndexedDB, per experiment config). Plus the
// small store of their busy state, errors and warnings.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { ExperimentConfig } from '../lab';
import { parseMetricsCsv, encodeExperiment } from '../lab';
import { mergeExternalRuns, removeExternalRun } from './externalRunList';
import type { ExportWorkerApi } from './exportWorker';
import type { LabWorkerApi } from './labWorker';
import { download } from './savedExperiments';
import { useLabStore } from './store';
import { shareLink } from './urlSync';

export interface PytorchState {
  /** Set while the Worker builds the package. */
  exporting: boolean;
  exportError?: string;
  importError?: string;
  /** What the last successful import accepted but may surprise. */
  importWarnings: string[];
  /** The last successful import: file name and the labels of its runs. */
  imported?: { file: string; labels: string[] };
  set(patch: Partial<Omit<PytorchState, 'set'>>): void;
}

export const usePytorchState = create<PytorchState>((set) => ({
  exporting: false,
  importWarnings: [],
  set: (patch) => set(patch),
}));

export interface PytorchActions {
  exportPackage(includeData: boolean): Promise<void>;
  importCsv(file: File): Promise<void>;
  remove(key: string): Promise<void>;
  /** Shows the runs kept for `config` (after a reload, or when a saved experiment is
   * viewed), unless the page moved on to another experiment meanwhile. */
  load(config: ExperimentConfig): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export type PackageExporter = ExportWorkerApi['exportPytorch'];

/** One export in its own Worker, terminated afterwards (its memory goes with it). */
const exportInWorker: PackageExporter = async (exp, opts) => {
  const worker = new Worker(new URL('./exportWorker.ts', import.meta.url), { type: 'module', name: 'risotto-lab-export' });
  try {
    return await Comlink.wrap<ExportWorkerApi>(worker).exportPytorch(exp, opts);
  } finally {
    worker.terminate();
  }
};

export function pytorchActions(lab: Comlink.Remote<LabWorkerApi>, exportPackage: PackageExporter = exportInWorker): PytorchActions {
  const state = () => usePytorchState.getState();
  // Imported runs live in the page first; a storage failure only means they will not
  // come back after a reload, so it is said once and nothing is dropped.
  const persist = async () => {
    const { experiment, external } = useLabStore.getState();
    try {
      await lab.saveExternalRuns(experiment, external);
    } catch (e) {
      useLabStore.getState().setNotice({ kind: 'error', text: `Imported runs are shown but not saved in this browser: ${message(e)}` });
    }
  };
  return {
    async exportPackage(includeData) {
      if (state().exporting) return;
      state().set({ exporting: true, exportError: undefined });
      const exp = useLabStore.getState().experiment;
      try {
        const zip = await exportPackage(exp, { includeData, labUrl: shareLink(exp, false) });
        download(`risotto-lab-pytorch-${stamp()}.zip`, zip as Uint8Array<ArrayBuffer>, 'application/zip');
      } catch (e) {
        state().set({ exportError: `Export to PyTorch failed: ${message(e)}` });
      } finally {
        state().set({ exporting: false });
      }
    },
    async importCsv(file) {
      let parsed: ReturnType<typeof parseMetricsCsv>;
      try {
        parsed = parseMetricsCsv(await file.text(), { tool: 'PyTorch', file: file.name }, useLabStore.getState().experiment);
      } catch (e) {
        // Nothing changes: the runs already shown, imported ones included, stay.
        const why = message(e);
        state().set({ importError: `Not imported: ${why.startsWith(file.name) ? why : `${file.name}, ${why}`}` });
        return;
      }
      useLabStore.getState().setExternal((current) => mergeExternalRuns(current, parsed.runs));
      state().set({
        importError: undefined,
        importWarnings: parsed.warnings,
        imported: { file: file.name, labels: parsed.runs.map((r) => r.label) },
      });
      await persist();
    },
    async remove(key) {
      useLabStore.getState().setExternal((current) => removeExternalRun(current, key));
      await persist();
    },
    async load(config) {
      const key = encodeExperiment(config);
      let runs;
      try {
        runs = await lab.externalRuns(config);
      } catch {
        return; // nothing readable kept: the page shows what it has
      }
      if (encodeExperiment(useLabStore.getState().experiment) !== key) return;
      useLabStore.getState().setExternal(() => runs);
    },
  };
}
