// The init explorer's state on the page (zustand): whether its tab is open, its
// settings (what the link section holds), the latest measurement and the depth sweep,
// each with its progress or error. Only explorerActions writes results.
import { create } from 'zustand';
import type { SweepRow, ExploreProgress, ExploreResult } from '../../lab';
import { defaultExplorerState, type ExplorerState } from '../../lab';

interface SweepState {
  maxDepth: number;
  seeds: number;
  rows?: SweepRow[];
  /** While it runs. */
  progress?: { done: number; total: number };
  error?: string;
}

export interface ExplorerStore {
  open: boolean;
  settings: ExplorerState;
  result?: ExploreResult;
  /** While an update is being measured. */
  progress?: ExploreProgress;
  error?: string;
  sweep: SweepState;
  setOpen(open: boolean): void;
  setSettings(update: (s: ExplorerState) => ExplorerState): void;
  set(patch: Partial<Pick<ExplorerStore, 'result' | 'progress' | 'error'>>): void;
  setSweep(patch: Partial<SweepState>): void;
}

export const useExplorerStore = create<ExplorerStore>((set) => ({
  open: false,
  settings: defaultExplorerState(),
  sweep: { maxDepth: 64, seeds: 3 },
  setOpen: (open) => set({ open }),
  setSettings: (update) => set((s) => ({ settings: update(s.settings) })),
  set: (patch) => set(patch),
  setSweep: (patch) => set((s) => ({ sweep: { ...s.sweep, ...patch } })),
}));
