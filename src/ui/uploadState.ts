// Page-side state of dataset uploads (zustand): the upload in progress, its error, the
// uploads stored in this browser, and the preview of the chosen dataset. The worker
// bridge writes it; components read it and may only dismiss the error.
import { create } from 'zustand';
import type { DatasetPreview, StoredDatasetSummary, UploadProgress } from '../lab';

export interface UploadState {
  /** Set while an upload runs; `label` names the files. */
  progress?: UploadProgress & { label: string };
  /** Why the last upload failed (the parser's or the store's message). */
  error?: string;
  /** What the last upload left out or assumed (Tiny ImageNet's unlabelled test/). */
  notes?: string[];
  stored: StoredDatasetSummary[];
  storedError?: string;
  preview?: DatasetPreview;
  previewError?: { id: string; message: string };
  /** Bumped on each successful upload, so the dataset view opens to show it. */
  uploads: number;
  set(patch: Partial<Omit<UploadState, 'set'>>): void;
}

export const useUploadState = create<UploadState>((set) => ({
  stored: [],
  uploads: 0,
  set: (patch) => set(patch),
}));
