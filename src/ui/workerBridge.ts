// Starts the lab Worker and connects it to the store: GPU check, dataset, uploads,
// training snapshots, device events. Components call the returned actions; nothing
// else talks to the Worker.
import * as Comlink from 'comlink';
import { defaultExperiment, type ExperimentConfig, uploadProgress, type UploadProgress } from '../lab';
import type { UploadOptions, ComparisonSnapshot, LabEvent } from '../lab';
import type { LabWorkerApi } from './labWorker';
import { useLabStore } from './store';
import { readAll, type NamedBlob } from './fileInput';
import { isBusy } from './panels/controlState';
import { useUploadState } from './uploadState';
import { storeTuning, tuningFor, useTuning } from './tuningSetting';
import { savedExperimentActions, type SavedExperimentActions } from './savedExperiments';
import { pytorchActions, type PytorchActions } from './pytorchActions';
import { explorerActions, type ExplorerActions } from './explorer/explorerActions';

export interface LabActions {
  start(exp: ExperimentConfig): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Times the next step of every live run on the GPU; failures become a notice. */
  requestProfile(): Promise<void>;
  loadDataset(id: string): Promise<void>;
  /** Reads the files, parses and stores them in the Worker, and selects the result;
   * on failure the error is shown and the current dataset stays. */
  uploadFiles(files: NamedBlob[], opts?: UploadOptions): Promise<void>;
  deleteStored(id: string): Promise<void>;
  /** Renames a stored upload; a refused name is shown and the old one stays. */
  renameStored(id: string, name: string): Promise<void>;
  /** Stores and selects a copy of the dataset without its empty classes. */
  dropEmptyClasses(id: string): Promise<void>;
  loadPreview(id: string): Promise<void>;
  saved: SavedExperimentActions;
  /** Export to PyTorch, and imported PyTorch runs. */
  pytorch: PytorchActions;
  /** The init explorer and its depth sweep (no training). */
  explorer: ExplorerActions;
  /** The "Tune kernels" setting: kept in this browser, applied to the runs started next. */
  setTuning(on: boolean): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function startLabWorker(): { actions: LabActions; terminate(): void } {
  const worker = new Worker(new URL('./labWorker.ts', import.meta.url), { type: 'module', name: 'risotto-lab' });
  const lab = Comlink.wrap<LabWorkerApi>(worker);
  const store = useLabStore.getState();
  let refreshSaved = () => {};
  void lab.onEvent(
    Comlink.proxy((e: LabEvent) => {
      // The saved list follows the Worker's writes (its new entry, pause, checkpoints).
      if (e.type === 'saved') return refreshSaved();
      if (e.type === 'device-lost') useLabStore.getState().setGpu({ status: 'lost', message: e.message });
      const text =
        e.type === 'device-lost'
          ? `The GPU device was lost: ${e.message}. The runs continue from their last checkpoint on a new device.`
          : e.type === 'storage-error'
            ? `Saving results: ${e.message}`
            : `GPU error: ${e.message}`;
      useLabStore.getState().setNotice({ kind: 'error', text });
    }),
  );
  // ?debug=1 or 2 on the page: the Worker's console gets each compiled program's plan.
  const debug = Number(new URLSearchParams(location.search).get('debug') ?? 0);
  if (debug) void lab.setDebug(debug);
  lab.init().then(
    (info) => {
      // Before the GPU shows as ready, so that a run a link starts at once is tuned (or
      // not) as the setting says: the Worker handles calls in order.
      const tuning = useTuning.getState();
      const on = tuningFor(info.adapter, tuning.stored);
      void lab.setTuning(on);
      tuning.set({ on });
      store.setGpu({ status: 'ready', info });
    },
    (e: unknown) => store.setGpu({ status: 'unavailable', message: message(e) }),
  );
  const uploads = useUploadState.getState();
  const refreshStored = () =>
    lab.listStored().then(
      (stored) => uploads.set({ stored, storedError: undefined }),
      (e: unknown) => uploads.set({ storedError: message(e) }),
    );
  void refreshStored();
  const onUpdate = Comlink.proxy((s: ComparisonSnapshot) => useLabStore.getState().setSnapshot(s));
  const pytorch = pytorchActions(lab);
  const saved = savedExperimentActions(lab, onUpdate, (config) => pytorch.load(config));
  refreshSaved = () => void saved.refresh();
  const actions: LabActions = {
    saved,
    pytorch,
    explorer: explorerActions(lab),
    async start(exp) {
      const st = useLabStore.getState();
      st.resetResults();
      st.setNotice(undefined);
      try {
        st.setSnapshot(await lab.start(exp, onUpdate));
      } catch (e) {
        useLabStore.getState().setNotice({ kind: 'error', text: message(e) });
      }
      void saved.refresh();
    },
    pause: () => void lab.pause(),
    requestProfile: async () => {
      try {
        await lab.requestProfile();
      } catch (e) {
        useLabStore.getState().setNotice({ kind: 'error', text: `Profile: ${message(e)}` });
      }
    },
    resume: () => void lab.resume(),
    setTuning(on) {
      storeTuning(on);
      useTuning.getState().set({ on, stored: on });
      void lab.setTuning(on);
    },
    stop: () => void lab.stop(),
    async loadDataset(id) {
      // A slow load must not overwrite a dataset chosen (or uploaded) after it started.
      const stillWanted = () => useLabStore.getState().experiment.dataset === id;
      try {
        const info = await lab.loadDataset(id);
        if (stillWanted()) useLabStore.getState().setDataset(info);
      } catch (e) {
        if (stillWanted()) useLabStore.getState().setDataset(undefined, message(e));
      }
    },
    async uploadFiles(files, opts = {}) {
      const up = useUploadState.getState();
      if (up.progress) return up.set({ error: 'an upload is already running: wait for it to finish' });
      if (isBusy(useLabStore.getState().snapshot?.phase))
        return up.set({ error: 'a comparison is running: stop it before uploading a dataset' });
      if (files.length === 0) return up.set({ error: 'no files were dropped: drop the dataset files themselves (or a zip of them)' });
      const label = files.length === 1 ? files[0].name : `${files[0].name} and ${files.length - 1} more`;
      // Progress messages from the Worker can arrive after its result: once this upload
      // has ended they must not bring the (finished) progress bar back.
      let active = true;
      const show = (p: UploadProgress) => active && up.set({ progress: { ...p, label } });
      up.set({ error: undefined, notes: undefined });
      show(uploadProgress('reading', 0));
      try {
        const problem = await lab.uploadSizeProblem(files.reduce((n, f) => n + f.blob.size, 0));
        if (problem) throw new Error(problem);
        const read = await readAll(files, (f) => show(uploadProgress('reading', f)));
        // Moved, not copied: after this the page no longer holds the bytes.
        const { notes, ...info } = await lab.uploadFiles(
          Comlink.transfer(
            read,
            read.map((f) => f.bytes.buffer),
          ),
          opts,
          Comlink.proxy(show),
        );
        active = false;
        useLabStore.getState().setDataset(info);
        useLabStore.getState().setExperiment((x) => ({ ...x, dataset: info.id }));
        up.set({ progress: undefined, notes: notes.length ? notes : undefined, uploads: useUploadState.getState().uploads + 1 });
        await refreshStored();
      } catch (e) {
        active = false;
        up.set({ progress: undefined, error: message(e) });
      }
    },
    async deleteStored(id) {
      try {
        await lab.deleteStored(id);
      } catch (e) {
        useUploadState.getState().set({ storedError: message(e) });
        return;
      }
      const st = useLabStore.getState();
      // The experiment falls back to the default dataset rather than one that is gone.
      if (st.experiment.dataset === id) st.setExperiment((x) => ({ ...x, dataset: defaultExperiment().dataset }));
      if (st.dataset?.id === id) st.setDataset(undefined);
      if (useUploadState.getState().preview?.id === id) useUploadState.getState().set({ preview: undefined });
      await refreshStored();
    },
    async renameStored(id, name) {
      let problem: string | undefined;
      try {
        const summary = await lab.renameStored(id, name);
        const d = useLabStore.getState().dataset;
        if (d?.id === id) useLabStore.getState().setDataset({ ...d, name: summary.name });
      } catch (e) {
        problem = message(e);
      }
      // The list is read again either way; a refusal is shown after it (the refresh clears errors).
      await refreshStored();
      if (problem) useUploadState.getState().set({ storedError: problem });
    },
    async dropEmptyClasses(id) {
      try {
        const info = await lab.dropEmptyClasses(id);
        useLabStore.getState().setDataset(info);
        useLabStore.getState().setExperiment((x) => ({ ...x, dataset: info.id }));
        await refreshStored();
      } catch (e) {
        useUploadState.getState().set({ error: message(e) });
      }
    },
    async loadPreview(id) {
      try {
        const preview = await lab.datasetPreview(id);
        if (useLabStore.getState().experiment.dataset === id) useUploadState.getState().set({ preview, previewError: undefined });
      } catch (e) {
        useUploadState.getState().set({ previewError: { id, message: message(e) } });
      }
    },
  };
  return { actions, terminate: () => worker.terminate() };
}
