// Experiments saved in the browser (IndexedDB, kept by the Worker): the list, viewing a
// saved one's results, resuming an unfinished one from its checkpoint, deleting, and
// importing an exported results JSON. Page-side actions plus their small store.
import type * as Comlink from 'comlink';
import { create } from 'zustand';
import type { StoredExperimentSummary, ExperimentConfig, ComparisonSnapshot } from '../lab';
import { encodeExperiment } from '../lab';
import type { LabWorkerApi } from './labWorker';
import { useFormGeneration } from './panels/formGeneration';
import { useLabStore } from './store';

export const useSavedState = create<{
  list: StoredExperimentSummary[];
  error?: string;
  set(p: Partial<{ list: StoredExperimentSummary[]; error?: string }>): void;
}>((set) => ({
  list: [],
  set: (p) => set(p),
}));

export interface SavedExperimentActions {
  refresh(): Promise<void>;
  view(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  importFile(file: File): Promise<void>;
  weights(runKey: string): Promise<void>;
  /** After a reload: show the most recent saved experiment when it is the one in the
   * link (a reload keeps the link), or when there was no link at all. */
  showLatest(linked: boolean): Promise<void>;
}

function asRecord(s: ComparisonSnapshot): ComparisonSnapshot {
  const idle = (p: string) => p === 'running' || p === 'paused' || p === 'compiling';
  return {
    ...s,
    phase: idle(s.phase) ? 'stopped' : s.phase,
    runs: s.runs.map((r) => (idle(r.status) ? { ...r, status: 'stopped' } : r)),
    stepsPerSecond: 0,
    imagesPerSecond: 0,
    etaSeconds: Number.NaN,
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** `onShown` hears of each saved experiment shown (to bring back its imported runs). */
export function savedExperimentActions(
  lab: Comlink.Remote<LabWorkerApi>,
  onUpdate: (s: ComparisonSnapshot) => void,
  onShown: (config: ExperimentConfig) => Promise<void> = async () => {},
): SavedExperimentActions {
  const saved = useSavedState.getState();
  const notice = (e: unknown) => useLabStore.getState().setNotice({ kind: 'error', text: message(e) });
  const actions: SavedExperimentActions = {
    async refresh() {
      try {
        saved.set({ list: await lab.listExperiments(), error: undefined });
      } catch (e) {
        saved.set({ error: message(e) });
      }
    },
    async view(id) {
      const got = await lab.experimentResults(id).catch(notice);
      if (!got) return;
      const st = useLabStore.getState();
      st.resetResults();
      st.setExperiment(() => got.summary.config);
      useFormGeneration.getState().bump();
      // A saved snapshot is a record, not a live comparison: nothing is running now.
      if (got.snapshot) st.setSnapshot(asRecord(got.snapshot));
      await onShown(got.summary.config);
    },
    async resume(id) {
      await actions.view(id);
      try {
        useLabStore.getState().setSnapshot(await lab.start(useLabStore.getState().experiment, onUpdate, id));
      } catch (e) {
        notice(e);
      }
      await actions.refresh();
    },
    async remove(id) {
      await lab.deleteExperiment(id).catch(notice);
      await actions.refresh();
    },
    async importFile(file) {
      try {
        const summary = await lab.importResults(await file.text());
        await actions.refresh();
        await actions.view(summary.id);
      } catch (e) {
        notice(e);
      }
    },
    async showLatest(linked) {
      await actions.refresh();
      const latest = useSavedState.getState().list[0];
      if (!latest || useLabStore.getState().snapshot) return;
      const same = encodeExperiment(latest.config) === encodeExperiment(useLabStore.getState().experiment);
      if (!linked || same) await actions.view(latest.id);
    },
    async weights(runKey) {
      try {
        const { safetensors, card } = await lab.runWeights(runKey, useLabStore.getState().experiment);
        download(`${runKey}-step${card.step}.safetensors`, safetensors as Uint8Array<ArrayBuffer>, 'application/octet-stream');
        download(`${runKey}-step${card.step}.json`, JSON.stringify(card, null, 1), 'application/json');
      } catch (e) {
        notice(e);
      }
    },
  };
  void actions.refresh();
  return actions;
}
