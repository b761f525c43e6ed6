// The lab's "Tune kernels" setting (page side): whether each new conv shape's kernel
// variants are timed on this GPU before the first step and the fastest used (choices kept
// in this browser's IndexedDB per GPU), or the fixed defaults run (reproducible timings).
// The user's choice is kept in localStorage; without one it follows the adapter: on for a
// hardware GPU, off for a software renderer, where timing every variant takes minutes.
import { create } from 'zustand';

const KEY = 'risotto-lab.tuneKernels';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage blocked (privacy settings): the default applies
  }
}

/** The user's stored choice, or undefined when they never chose. */
export function storedTuning(s: Storage | undefined = storage()): boolean | undefined {
  const v = s?.getItem(KEY);
  return v === '1' ? true : v === '0' ? false : undefined;
}

export function storeTuning(on: boolean, s: Storage | undefined = storage()): void {
  try {
    s?.setItem(KEY, on ? '1' : '0');
  } catch {
    // not kept: the setting holds for this page only
  }
}

/** Without a stored choice: on for a hardware GPU, off for a software renderer. */
export function tuningFor(adapter: { isSoftware: boolean }, stored: boolean | undefined): boolean {
  return stored ?? !adapter.isSoftware;
}

/** The note beside the switch: what it does now, and why a software renderer starts off. */
export function tuningNote(adapter: { isSoftware: boolean }, on: boolean, stored: boolean | undefined): string {
  if (on) return 'each new conv shape is timed per kernel variant before the first step; choices kept in this browser';
  if (adapter.isSoftware && stored === undefined)
    return 'off by default on a software renderer, where timing the variants takes minutes; the barrier-free kernels, fastest there, run instead';
  if (adapter.isSoftware) return 'fixed kernels (the barrier-free ones, fastest on a software renderer): reproducible timings';
  return 'fixed kernels: reproducible timings';
}

interface TuningState {
  /** Undefined until the GPU is known. */
  on?: boolean;
  stored?: boolean;
  set(patch: Partial<Omit<TuningState, 'set'>>): void;
}

export const useTuning = create<TuningState>((set) => ({
  stored: storedTuning(),
  set: (patch) => set(patch),
}));
