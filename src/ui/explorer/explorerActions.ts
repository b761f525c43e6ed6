// What the explorer asks of the lab Worker: a debounced update when its settings change
// (a newer one cancels the one in progress, in the Worker, and its late answers are
// ignored here), and the depth sweep. Results and progress go to the explorer store.
import * as Comlink from 'comlink';
import type { DepthSweepRequest, ExplorerState } from '../../lab';
import { EXPLORER_CANCELLED } from '../../lab';
import type { LabWorkerApi } from '../labWorker';
import { useExplorerStore } from './explorerStore';

/** Slider moves closer together than this make one update. */
const EXPLORER_DEBOUNCE_MS = 250;

export interface ExplorerActions {
  /** Measures `state` after the debounce (at once with `now`). */
  update(state: ExplorerState, now?: boolean): void;
  sweep(): Promise<void>;
  cancelSweep(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const cancelled = (e: unknown) => message(e).includes(EXPLORER_CANCELLED);

export function explorerActions(lab: Comlink.Remote<LabWorkerApi>): ExplorerActions {
  const store = () => useExplorerStore.getState();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  let latestSweep = 0;
  const measure = async (state: ExplorerState) => {
    const mine = ++latest;
    store().set({ progress: { done: 0, total: state.schemes.length }, error: undefined });
    const { schemes, ...settings } = state;
    try {
      const result = await lab.explore(
        { settings, schemes },
        Comlink.proxy((p) => mine === latest && store().set({ progress: p })),
      );
      if (mine === latest) store().set({ result, progress: undefined });
    } catch (e) {
      if (mine === latest && !cancelled(e)) store().set({ error: message(e), progress: undefined });
    }
  };
  return {
    update(state, now = false) {
      clearTimeout(timer);
      if (now) void measure(state);
      else timer = setTimeout(() => void measure(state), EXPLORER_DEBOUNCE_MS);
    },
    async sweep() {
      const mine = ++latestSweep;
      const { settings: st, sweep } = store();
      const { schemes, ...settings } = st;
      const req: DepthSweepRequest = { schemes, maxDepth: sweep.maxDepth, seeds: sweep.seeds, settings };
      store().setSweep({ progress: { done: 0, total: 1 }, error: undefined, rows: undefined });
      try {
        const rows = await lab.depthSweep(
          req,
          Comlink.proxy(({ done, total }) => mine === latestSweep && store().setSweep({ progress: { done, total } })),
        );
        if (mine === latestSweep) store().setSweep({ rows, progress: undefined });
      } catch (e) {
        if (mine === latestSweep) store().setSweep({ progress: undefined, error: cancelled(e) ? 'The sweep was stopped.' : message(e) });
      }
    },
    cancelSweep() {
      void lab.cancelDepthSweep();
    },
  };
}
