// Starts the lab Worker and connects it to the store: GPU check, dataset, training
// snapshots, device events. Components call the returned actions; nothing else talks
// to the Worker.
import * as Comlink from 'comlink';
import type { ExperimentConfig } from '../lab/experiment';
import type { ComparisonSnapshot } from '../lab/runState';
import type { LabWorkerApi } from './labWorker';
import { useLabStore } from './store';
import type { LabEvent } from './workerTypes';

export interface LabActions {
  start(exp: ExperimentConfig): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  loadDataset(id: string): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function startLabWorker(): { actions: LabActions; terminate(): void } {
  const worker = new Worker(new URL('./labWorker.ts', import.meta.url), { type: 'module', name: 'risotto-lab' });
  const lab = Comlink.wrap<LabWorkerApi>(worker);
  const store = useLabStore.getState();
  void lab.onEvent(
    Comlink.proxy((e: LabEvent) => {
      if (e.type === 'device-lost') useLabStore.getState().setGpu({ status: 'lost', message: e.message });
      useLabStore.getState().setNotice({ kind: 'error', text: e.type === 'device-lost' ? `The GPU device was lost: ${e.message}` : `GPU error: ${e.message}` });
    }),
  );
  lab.init().then(
    (info) => store.setGpu({ status: 'ready', info }),
    (e: unknown) => store.setGpu({ status: 'unavailable', message: message(e) }),
  );
  const onUpdate = Comlink.proxy((s: ComparisonSnapshot) => useLabStore.getState().setSnapshot(s));
  const actions: LabActions = {
    async start(exp) {
      const st = useLabStore.getState();
      st.resetResults();
      st.setNotice(undefined);
      try {
        st.setSnapshot(await lab.start(exp, onUpdate));
      } catch (e) {
        useLabStore.getState().setNotice({ kind: 'error', text: message(e) });
      }
    },
    pause: () => void lab.pause(),
    resume: () => void lab.resume(),
    stop: () => void lab.stop(),
    async loadDataset(id) {
      try {
        useLabStore.getState().setDataset(await lab.loadBuiltin(id));
      } catch (e) {
        useLabStore.getState().setDataset(undefined, message(e));
      }
    },
  };
  return { actions, terminate: () => worker.terminate() };
}
