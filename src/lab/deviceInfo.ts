// Device types the UI may show (adapter name, software or not), re-exported through lab.
export type { AdapterSummary, GpuEvent, PoolStats } from '../engine/webgpu/device';
