// App state (zustand): the GPU, the experiment being edited, the dataset it uses, the
// latest snapshot of the comparison, the diagnostics per run, and runs imported from
// outside (PyTorch), kept apart from the snapshot so a new snapshot never drops them.
// Components read slices with selectors; only the worker bridge writes results.
import { create } from 'zustand';
import type {
  SpectrumRecord,
  SignalRecord,
  ComparisonSnapshot,
  ExternalRun,
  GpuSummary as GpuInfo,
  DatasetInfo as DatasetSummary,
} from '../lab';
import { defaultExperiment, type ExperimentConfig } from '../lab';

type GpuState =
  | { status: 'checking' }
  | { status: 'ready'; info: GpuInfo }
  | { status: 'unavailable'; message: string }
  | { status: 'lost'; message: string };

export interface LabStore {
  gpu: GpuState;
  experiment: ExperimentConfig;
  dataset?: DatasetSummary;
  datasetError?: string;
  snapshot?: ComparisonSnapshot;
  /** Each run's latest records per BatchNorm mode, keyed by diagnosticKey. */
  spectra: Record<string, SpectrumRecord>;
  signals: Record<string, SignalRecord>;
  /** Imported runs overlaid on the comparison's; resetResults leaves them alone. */
  external: ExternalRun[];
  /** A short message for the user (errors, "resumed on a new device", ...). */
  notice?: { kind: 'info' | 'error'; text: string };
  /** A costly run the link asked to start, waiting for the user's yes: the question. */
  startPrompt?: string;
  setGpu(gpu: GpuState): void;
  setExperiment(update: (e: ExperimentConfig) => ExperimentConfig): void;
  setDataset(d: DatasetSummary | undefined, error?: string): void;
  setSnapshot(s: ComparisonSnapshot | undefined): void;
  setDiagnostics(spectra: SpectrumRecord[], signals: SignalRecord[]): void;
  setNotice(n: LabStore['notice']): void;
  setStartPrompt(question: string | undefined): void;
  setExternal(update: (runs: ExternalRun[]) => ExternalRun[]): void;
  resetResults(): void;
}

/** Where a run's latest record of one BatchNorm mode is kept. */
const diagnosticKey = (r: { runKey: string; bnStats: string }) => `${r.runKey}\u0000${r.bnStats}`;

export const useLabStore = create<LabStore>((set) => ({
  gpu: { status: 'checking' },
  experiment: defaultExperiment(),
  spectra: {},
  signals: {},
  external: [],
  setGpu: (gpu) => set({ gpu }),
  setExperiment: (update) => set((s) => ({ experiment: update(s.experiment) })),
  setDataset: (dataset, datasetError) => set({ dataset, datasetError }),
  // The charts show each run's latest spectrum and signal record in the chosen mode.
  setSnapshot: (snapshot) =>
    set((s) => ({
      snapshot,
      spectra: snapshot ? { ...s.spectra, ...Object.fromEntries(snapshot.spectra.map((r) => [diagnosticKey(r), r])) } : s.spectra,
      signals: snapshot ? { ...s.signals, ...Object.fromEntries(snapshot.signals.map((r) => [diagnosticKey(r), r])) } : s.signals,
    })),
  setDiagnostics: (spectra, signals) =>
    set((s) => ({
      spectra: { ...s.spectra, ...Object.fromEntries(spectra.map((r) => [diagnosticKey(r), r])) },
      signals: { ...s.signals, ...Object.fromEntries(signals.map((r) => [diagnosticKey(r), r])) },
    })),
  setNotice: (notice) => set({ notice }),
  setStartPrompt: (startPrompt) => set({ startPrompt }),
  setExternal: (update) => set((s) => ({ external: update(s.external) })),
  resetResults: () => set({ snapshot: undefined, spectra: {}, signals: {} }),
}));
