// Records the page receives from the lab Worker (the RPC contract's types).
export type { GpuSummary as GpuInfo, DatasetInfo as DatasetSummary, LabEvent } from '../lab';
