// Whether the browser lets this site store a dataset of a given size, asked before a long
// decode (Tiny ImageNet's 100,000 JPEGs) rather than learnt from a failed write at the end.
// Reads navigator.storage.estimate(); where there is none (Node, old browsers) it says nothing.

import type { DecodePlan } from '../data';
import { DatasetStorageError } from './datasetStore';

export type StorageEstimator = () => Promise<{ quota?: number; usage?: number } | undefined>;

/** The browser's estimate, or undefined where there is none. */
const browserEstimate: StorageEstimator = async () => {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<{ quota?: number; usage?: number }> } } }).navigator
    ?.storage;
  return typeof storage?.estimate === 'function' ? storage.estimate() : undefined;
};

const GB = 1e9;
const formatSize = (bytes: number) => (bytes >= GB ? `${(bytes / GB).toFixed(2)} GB` : `${Math.ceil(bytes / 1e6)} MB`);

/** Throws 'storage-full' saying what is needed and what is free when the plan does not fit. */
export async function checkStorageRoom(plan: DecodePlan, estimate: StorageEstimator = browserEstimate): Promise<void> {
  const e = await estimate().catch(() => undefined);
  if (e?.quota === undefined) return;
  const free = Math.max(0, e.quota - (e.usage ?? 0));
  if (plan.bytes <= free) return;
  throw new DatasetStorageError(
    'storage-full',
    `${plan.format} needs ${formatSize(plan.bytes)} of browser storage for its ${plan.images.toLocaleString('en-US')} decoded images, but this browser lets this site store only ${formatSize(free)} more; nothing was decoded or stored. Delete stored datasets, free disk space (the browser's quota grows with it), or upload a smaller part of the dataset`,
  );
}
