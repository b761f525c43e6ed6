// App state (zustand): what the GPU check found. Grows into the experiment store.
import { create } from 'zustand';
import type { SelfCheckResult } from '../lab/deviceCheck';

export type GpuState =
  | { status: 'checking' }
  | { status: 'ready'; check: SelfCheckResult }
  | { status: 'unavailable'; message: string };

interface LabStore {
  gpu: GpuState;
  setGpu(gpu: GpuState): void;
}

export const useLabStore = create<LabStore>((set) => ({
  gpu: { status: 'checking' },
  setGpu: (gpu) => set({ gpu }),
}));
